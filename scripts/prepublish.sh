#!/usr/bin/env bash
# `vscode:prepublish` (vsce runs it before `vsce package` / `vsce publish`): type check, lint, then
# a clean production build. npm test has already run both checks when it packages, and says so
# with PROMPTSCOPE_CHECKED=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${PROMPTSCOPE_CHECKED:-}" != 1 ]; then
  npm run --silent typecheck
  npm run --silent lint
fi
node esbuild.mjs --production
