#!/usr/bin/env bash
# Install the benchmark's peers: ruff into the project venv, TorchFix into bench/.venv-torchfix.
# Idempotent. Usage: bash bench/setup.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PY="$REPO/.venv/bin/python"
[ -x "$PY" ] || { echo "no project venv at $REPO/.venv" >&2; exit 1; }
pin() { grep -E "^$1==" "$HERE/requirements.txt"; }
"$PY" -m pip install -q "$(pin ruff)"
TF="$HERE/.venv-torchfix"
if ! "$TF/bin/torchfix" --version 2>/dev/null | grep -qF "$(pin torchfix | cut -d= -f3)"; then
  "$PY" -m venv "$TF"
  "$TF/bin/pip" install -q "$(pin torchfix)"
fi
echo "ruff: $("$REPO/.venv/bin/ruff" --version); torchfix: $("$TF/bin/torchfix" --version)"
