#!/usr/bin/env bash
# `npm test`: everything, on a fresh Debian 12 machine or a warm one.
#   1. dependencies (npm ci when node_modules is missing or older than the lock file)
#   2. what the real-VS-Code tests need (Chromium, code-server 4.99.4 in .cache/)
#   3. build, type check
#   4. unit tests (node:test), grammar tests, CLI tests, the integration suite in VS Code 1.99.3
# Ends with one summary line: "all: N passed, M failed".
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
logdir="$(mktemp -d)"
passed=0
failed=0
broken_stages=()

stage() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }
fail_stage() { broken_stages+=("$1"); }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  stage "npm ci"
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "all: 0 passed, 1 failed"; exit 1; }
fi

stage "test environment (Chromium, code-server)"
bash scripts/setup-test-env.sh || fail_stage "setup"

stage "build"
node esbuild.mjs || fail_stage "build"

stage "type check"
npm run --silent typecheck || fail_stage "typecheck"

# Counts from node's test runner ("# pass N" / "# fail N") or a plain "N passed, M failed" line.
count_from() {
  local log="$1" p f
  p=$(grep -aE '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -aE '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ]; then
    local line
    line=$(grep -aE '[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | awk '{print $1}')
    f=$(grep -oE '[0-9]+ failed' <<<"$line" | awk '{print $1}')
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

# run_stage NAME COUNT_FILE COMMAND…: runs a stage, shows its output, counts from COUNT_FILE
# (its own log when COUNT_FILE is "-").
run_stage() {
  local name="$1" counts="$2"; shift 2
  stage "$name"
  local log="$logdir/$name.log"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if [ "$counts" = - ]; then count_from "$log"; else count_from "$counts"; fi
  [ "$rc" = 0 ] || fail_stage "$name"
}

# Unit tests: the spec reporter is for people; a TAP copy gives the counts.
run_stage unit "$logdir/unit.tap" npx tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$logdir/unit.tap" test/unit/*.test.ts
run_stage grammar - node scripts/grammar-test.mjs
run_stage webview "$logdir/webview.tap" npx tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$logdir/webview.tap" test/webview/*.test.ts
run_stage integration - node test/harness/run-code-server.mjs
run_stage package - npm run --silent package

echo
if [ ${#broken_stages[@]} -gt 0 ]; then
  echo "failed stages: ${broken_stages[*]}"
  [ "$failed" -gt 0 ] || failed=${#broken_stages[@]}
fi
echo "all: $passed passed, $failed failed"
[ ${#broken_stages[@]} -eq 0 ] && [ "$failed" -eq 0 ]
