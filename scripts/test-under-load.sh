#!/usr/bin/env bash
# `npm run test:under-load`: the whole suite (`npm test`, scripts/test-all.sh) while two busy-loop
# processes keep the cores loaded, as on a shared 2-core machine. Tests must hold up under load
# (no timing assertions; speed is measured in bench/). Arguments are passed to test-all.sh.
#   LOAD_PROCESSES=N   how many busy loops (default 2)
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
count="${LOAD_PROCESSES:-2}"
pids=()
stop_load() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait "${pids[@]}" 2>/dev/null
}
trap stop_load EXIT
trap 'exit 130' INT TERM
for _ in $(seq "$count"); do
  # A plain shell loop: pure CPU, no I/O, at normal priority like the test processes.
  bash -c 'while :; do :; done' &
  pids+=("$!")
done
echo "test-under-load: $count busy loops running (pids ${pids[*]}); starting the suite"
bash scripts/test-all.sh "$@"
rc=$?
echo "test-under-load: the suite exited $rc with $count busy loops running"
exit "$rc"
