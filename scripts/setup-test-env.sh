#!/usr/bin/env bash
# Installs what the real-VS-Code tests need on a fresh Debian 12 machine:
# Debian's Chromium (driven by playwright-core) and code-server 4.99.4 (VS Code 1.99.3)
# in a cache folder outside node_modules. Idempotent: reuses what is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PROMPTSCOPE_CACHE:-$here/.cache}"
cs_dir="$cache/code-server-4.99.4"
mkdir -p "$cache"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ! -x "$cs_dir/node_modules/.bin/code-server" ]; then
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

if [ ! -x "$cs_dir/node_modules/.bin/code-server" ]; then
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
  [ -f "$cs_dir/package.json" ] || echo '{"name":"code-server-cache","private":true}' > "$cs_dir/package.json"
  (cd "$cs_dir" && npm_config_unsafe_perm=true npm_config_yes=true \
     npm install --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts code-server@4.99.4)
fi
echo "setup: chromium $(chromium --version 2>/dev/null | head -1); code-server at $cs_dir"
