#!/usr/bin/env bash
# `npm test`: everything, on a fresh Debian 12 machine or a warm one.
#   1. dependencies (npm ci when node_modules is missing or older than the lock file)
#   2. what the real-VS-Code tests need (Chromium, code-server 4.99.4 and 4.139.1 in .cache/)
#   3. build, type check, lint (ESLint), format check (Prettier)
#   4. unit tests (node:test), grammar tests, webview tests, the integration suite in VS Code 1.99.3
#      (the oldest supported) and in the current VS Code of code-server 4.139.1
#   5. the suite left every tracked file as it found it (tests write to test-results/ and temp dirs)
# Ends with one summary line: "all: N passed, M failed".
#   PROMPTSCOPE_VSCODE_CURRENT=0 leaves the current VS Code out (its setup and integration stage).
set -uo pipefail
# On by default here; scripts/setup-test-env.sh alone (as `npm start` runs it) sets up only the oldest.
export PROMPTSCOPE_VSCODE_CURRENT="${PROMPTSCOPE_VSCODE_CURRENT:-1}"

here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
logdir="$(mktemp -d)"
passed=0
failed=0
broken_stages=()

# What git reports of the working tree (changed tracked files, new untracked ones, and the content
# of every change), to compare before and after the tests.
tree_state() { git status --porcelain=v1 --untracked-files=all 2>&1; git diff HEAD 2>&1 | sha256sum; }
tree_before="$(tree_state)"

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

stage "lint"
npm run --silent lint || fail_stage "lint"

stage "format"
npm run --silent format:check || fail_stage "format"

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

# run_stage NAME MINUTES COUNT_FILE COMMAND…: runs a stage, shows its output, counts from
# COUNT_FILE (its own log when COUNT_FILE is "-"). A stage still running after MINUTES is stopped
# and fails, so one hang costs minutes, not the whole CI budget.
run_stage() {
  local name="$1" minutes="$2" counts="$3"; shift 3
  stage "$name"
  local log="$logdir/$name.log"
  timeout --kill-after=30 "${minutes}m" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" != 124 ] || echo "stage $name stopped after $minutes minutes: something in it hangs"
  if [ "$counts" = - ]; then count_from "$log"; else count_from "$counts"; fi
  [ "$rc" = 0 ] || fail_stage "$name"
}

# Unit tests: the spec reporter is for people; a TAP copy gives the counts. A test that hangs (a
# FIFO nobody reads, a server that never answers) fails after TEST_TIMEOUT_MS instead of holding
# the whole run; the slowest test here takes a few seconds, so the margin is wide on a busy machine.
TEST_TIMEOUT_MS="${PROMPTSCOPE_TEST_TIMEOUT_MS:-180000}"
run_stage unit 20 "$logdir/unit.tap" npx tsx --test --test-timeout="$TEST_TIMEOUT_MS" --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$logdir/unit.tap" test/unit/*.test.ts
run_stage grammar 10 - node scripts/grammar-test.mjs
run_stage webview 20 "$logdir/webview.tap" npx tsx --test --test-timeout="$TEST_TIMEOUT_MS" --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$logdir/webview.tap" test/webview/*.test.ts
run_stage integration 40 - node test/harness/run-code-server.mjs --no-build
if [ "$PROMPTSCOPE_VSCODE_CURRENT" = 1 ]; then
  run_stage integration-current 40 - node test/harness/run-code-server.mjs --no-build --vscode current
fi
# vsce runs vscode:prepublish (type check, lint, clean production build); the checks ran above.
run_stage package 10 - env PROMPTSCOPE_CHECKED=1 npm run --silent package

stage "tracked files unchanged"
tree_after="$(tree_state)"
if [ "$tree_before" != "$tree_after" ]; then
  echo "the tests changed the working tree (tests may write to test-results/ and temporary folders only):"
  diff <(echo "$tree_before") <(echo "$tree_after") | sed 's/^/  /'
  fail_stage "tracked-files"
else
  echo "unchanged"
fi

echo
if [ ${#broken_stages[@]} -gt 0 ]; then
  echo "failed stages: ${broken_stages[*]}"
  [ "$failed" -gt 0 ] || failed=${#broken_stages[@]}
fi
echo "all: $passed passed, $failed failed"
[ ${#broken_stages[@]} -eq 0 ] && [ "$failed" -eq 0 ]
