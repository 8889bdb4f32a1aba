#!/usr/bin/env bash
# `npm start`: build, make sure code-server 4.99.4 (VS Code 1.99.3) is installed, then serve a
# workbench with Promptscope loaded straight from this checkout (no .vsix) and samples/ open.
#
#   PORT=8080 HOST=127.0.0.1 npm start        (defaults shown)
#   npm start -- --reset-samples               (put the sample workspace back as shipped)
#   PROMPTSCOPE_START_FOLDER=/some/folder npm start   (open another folder instead of the samples)
#
# The workspace is a copy of samples/ under .cache/start/samples, so edits and runs never touch
# the repository's files; "Promptscope: Reset Samples" (or --reset-samples) restores it. On the
# first visit the walkthrough opens with getting-started.prompt beside it. Auto-save is off.
#
# The extension is registered in the extensions dir's extensions.json with its location pointing
# at the repo root, so a rebuild (`npm run build` / `npm run watch`) followed by
# "Developer: Reload Window" in the browser picks up new code. User data and extensions persist
# under .cache/start/ (delete that folder for a clean profile).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PROMPTSCOPE_CACHE:-$here/.cache}"
state="$cache/start"
port="${PORT:-8080}"
host="${HOST:-127.0.0.1}"
ext_path="${PROMPTSCOPE_EXT_PATH:-$here}"
folder="${PROMPTSCOPE_START_FOLDER:-$state/samples}"
reset_samples=0
for arg in "$@"; do
  case "$arg" in
    --reset-samples) reset_samples=1 ;;
    *) echo "start: unknown option $arg (known: --reset-samples)" >&2; exit 2 ;;
  esac
done
entry="$cache/code-server-4.99.4/node_modules/code-server/out/node/entry.js"

cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "start: installing dependencies (npm ci, about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ "${PROMPTSCOPE_SKIP_BUILD:-}" != 1 ]; then
  echo "start: building"
  node esbuild.mjs
fi
# The first start installs code-server (3-5 minutes on a 2-core machine): say that it is still going.
if [ -f "$entry" ]; then
  bash "$here/scripts/setup-test-env.sh"
else
  echo "start: first start: installing code-server 4.99.4 and Chromium's packages into $cache (3-5 minutes)"
  bash "$here/scripts/setup-test-env.sh" &
  setup_pid=$!
  started=$SECONDS
  while kill -0 "$setup_pid" 2>/dev/null; do
    sleep 15
    if kill -0 "$setup_pid" 2>/dev/null; then
      size=$(du -sm "$cache" 2>/dev/null | cut -f1)
      echo "start: still installing ($((SECONDS - started)) s, ${size:-0} MB so far)"
    fi
  done
  wait "$setup_pid" || { echo "start: installing code-server failed (see above)" >&2; exit 1; }
fi
[ -f "$entry" ] || { echo "start: $entry is missing after setup" >&2; exit 1; }
# The sample workspace: a copy of samples/ with a marker the extension reads (open these files
# and the walkthrough on the first visit; enables "Promptscope: Reset Samples").
if [ -z "${PROMPTSCOPE_START_FOLDER:-}" ]; then
  if [ "$reset_samples" = 1 ] || [ ! -f "$folder/.promptscope-samples.json" ]; then
    [ "$reset_samples" = 1 ] && echo "start: resetting the sample workspace"
    rm -rf "$folder"
    mkdir -p "$folder"
    cp -R "$here/samples/." "$folder/"
    printf '{ "open": ["getting-started.prompt"], "walkthrough": true }\n' > "$folder/.promptscope-samples.json"
    # A fresh copy is a fresh visit: forget that the walkthrough was shown for it.
    rm -rf "$state/user-data/User/workspaceStorage"
  fi
elif [ ! -d "$folder" ]; then
  echo "start: $folder does not exist; opening the repo root instead" >&2
  folder="$here"
fi

mkdir -p "$state/user-data/User" "$state/extensions"
settings="$state/user-data/User/settings.json"
# Our keys are set on every start; anything else the user changed in the profile is kept.
node - "$settings" <<'JS'
const fs = require('node:fs');
const [file] = process.argv.slice(2);
let current = {};
try {
  current = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  // first start, or a settings file with comments: start from ours
}
const ours = {
  'workbench.startupEditor': 'none',
  'files.autoSave': 'off',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};
fs.writeFileSync(file, `${JSON.stringify({ ...current, ...ours }, null, 2)}\n`);
JS
# code-server reads --config instead of writing ~/.config/code-server/config.yaml.
printf 'auth: none\n' > "$state/config.yaml"

# Register the checkout as an installed extension: replace any earlier Promptscope entry in
# extensions.json with one for the current version, located at the repo root. Written through a
# rename so the extensions folder's mtime changes and VS Code rescans instead of using its cache.
node - "$state/extensions" "$ext_path" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [dir, extPath] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(extPath, 'package.json'), 'utf8'));
const id = `${pkg.publisher}.${pkg.name}`;
const file = path.join(dir, 'extensions.json');
let entries = [];
try {
  entries = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  // first start: no manifest yet
}
entries = entries.filter((e) => e?.identifier?.id?.toLowerCase() !== id.toLowerCase());
entries.push({
  identifier: { id },
  version: pkg.version,
  location: { $mid: 1, path: path.resolve(extPath), scheme: 'file' },
  metadata: { installedTimestamp: Date.now(), source: 'resource' },
});
fs.writeFileSync(`${file}.tmp`, JSON.stringify(entries));
fs.renameSync(`${file}.tmp`, file);
console.log(`start: ${id}@${pkg.version} loads from ${path.resolve(extPath)}`);
JS
# Scanned-extension caches would otherwise keep an old package.json (contributions) around.
rm -rf "$state/user-data/CachedProfilesData"

url="http://$host:$port/?folder=$folder"
echo "start: Promptscope in VS Code (code-server 4.99.4): $url"
echo "start: no Ollama here? Runs will offer to pull a small model once Ollama is running (ollama serve)."
unset PASSWORD HASHED_PASSWORD
export PORT="$port"
exec node "$entry" \
  --config "$state/config.yaml" \
  --auth none \
  --bind-addr "$host:$port" \
  --disable-telemetry \
  --disable-update-check \
  --disable-workspace-trust \
  --disable-getting-started-override \
  --user-data-dir "$state/user-data" \
  --extensions-dir "$state/extensions" \
  "$folder"
