#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need on a fresh Debian machine:
# Debian packages (Chromium, ripgrep, bubblewrap for the command sandbox, kerberos headers
# for code-server's native build) and code-server (a real VS Code 1.100.3 with a Node extension host) from npm.
# Idempotent: a second run with everything present takes well under a second.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
CACHE_DIR="${TANDEM_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tandem-test}"
CS_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)
if [ "$node_major" != "20" ]; then
  echo "[install-test-deps] code-server $CODE_SERVER_VERSION needs Node 20; found: $node_major" >&2
  exit 1
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "[install-test-deps] apt-get install ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # `env` so the variable survives sudo; no prompts (CI has no stdin).
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$CS_BIN" ] && [ -f "$CS_DIR/.installed" ]; then
  echo "[install-test-deps] code-server $CODE_SERVER_VERSION present in $CS_DIR"
  exit 0
fi

# Two test runs starting at once on a fresh machine must not both install:
# the second waits for the first, then finds everything in place.
mkdir -p "$CACHE_DIR"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_DIR/.install.lock"
  flock 9
  if [ -f "$CS_BIN" ] && [ -f "$CS_DIR/.installed" ]; then
    echo "[install-test-deps] code-server $CODE_SERVER_VERSION installed meanwhile in $CS_DIR"
    exit 0
  fi
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds this cache file.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TAR" ]; then
  mkdir -p "$RG_CACHE"
  tmp=$(mktemp -d)
  cp "$(command -v rg)" "$tmp/rg"
  tar -C "$tmp" -czf "$RG_TAR" rg
  rm -rf "$tmp"
fi

echo "[install-test-deps] installing code-server $CODE_SERVER_VERSION into $CS_DIR (1-2 minutes)"
rm -rf "$CS_DIR"
mkdir -p "$CS_DIR"
cd "$CS_DIR"
echo '{"name":"tandem-test-code-server","private":true}' > package.json
npm_config_yes=true npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >install.log 2>&1 || {
  tail -n 40 install.log >&2
  exit 1
}
touch .installed
echo "[install-test-deps] done"
