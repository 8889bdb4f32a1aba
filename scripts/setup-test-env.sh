#!/usr/bin/env bash
# Installs what the real-VS-Code tests need on a fresh Debian 12 machine:
# Debian's Chromium (driven by playwright-core) and code-server 4.99.4 (VS Code 1.99.3)
# in a cache folder outside node_modules. Idempotent: reuses what is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PROMPTSCOPE_CACHE:-$here/.cache}"
cs_dir="$cache/code-server-4.99.4"
mkdir -p "$cache"

# Two setups at once (say `npm start` and `npm run test:integration`) would both run npm install in
# the same folder and break each other's code-server postinstall: serialize them.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.setup.lock"
  flock 9
fi

# code-server's postinstall installs VS Code's own dependencies after the package itself; its last
# step fills lib/vscode/extensions/node_modules. Without that the install is incomplete even though
# bin/code-server exists (e.g. a failed or interrupted postinstall), so check for it.
cs_complete() {
  [ -x "$cs_dir/node_modules/.bin/code-server" ] &&
    [ -d "$cs_dir/node_modules/code-server/lib/vscode/extensions/node_modules" ] &&
    [ -e "$cs_dir/node_modules/code-server/lib/vscode/node_modules.asar" ]
}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if ! cs_complete; then
  for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! cs_complete; then
  echo "setup: installing code-server 4.99.4 into $cs_dir (about 75 s)"
  # @vscode/ripgrep's postinstall downloads rg unless it finds this archive first.
  tmp="${TMPDIR:-/tmp}"
  rg_cache="$tmp/vscode-ripgrep-cache-1.15.11"
  rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$rg_tar" ]; then
    mkdir -p "$rg_cache"
    stage="$(mktemp -d)"
    cp "$(command -v rg)" "$stage/rg"
    tar -czf "$rg_tar" -C "$stage" rg
    rm -rf "$stage"
  fi
  mkdir -p "$cs_dir"
  # A half-installed package would make npm skip its postinstall: start that package over.
  rm -rf "$cs_dir/node_modules/code-server"
  [ -f "$cs_dir/package.json" ] || echo '{"name":"code-server-cache","private":true}' > "$cs_dir/package.json"
  (cd "$cs_dir" && npm_config_unsafe_perm=true npm_config_yes=true \
     npm install --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts code-server@4.99.4)
  cs_complete || { echo "setup: code-server's postinstall did not complete (see the npm output above)" >&2; exit 1; }
fi
echo "setup: chromium $(chromium --version 2>/dev/null | head -1); code-server at $cs_dir"
