"""`flatten`/`reshape` of a permuted view of a contiguous tensor: a view when the dims it merges sit next to each
other in memory, in order (`permute(0, 2, 3, 1)` then H and W merged), a copy otherwise (`permute(0, 2, 1)` then the
last two merged). Each program is analysed and run under torch: gradguard reports where torch raises (a warning when
`reshape`'s sizes decide it) and nothing where torch copies and runs clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import torch

torch.manual_seed(0)
x = torch.randn(SIZES, requires_grad=True)
y = torch.relu(x)
NAMES = y.shape
o = EXPR
o += 1
o.sum().backward()
print("ok", o._base is not None)
'''

NCHW = ("2, 3, 4, 5", "B, C, H, W")
NLC = ("2, 3, 4", "B, N, C")

# (input, expression, what gradguard reports at `o += 1`: None, "error" or "warning"); torch raises exactly where
# a finding is expected
CASES = {
    "merged H and W: a view, by the sizes named": (NCHW, "y.permute(0, 2, 3, 1).reshape(B, H * W, -1)", "warning"),
    "merged H and W by -1: a view, by the sizes": (NCHW, "y.permute(0, 2, 3, 1).reshape(B, -1, C)", "warning"),
    "torch form": (NCHW, "torch.reshape(torch.permute(y, (0, 2, 3, 1)), (B, H * W, -1))", "warning"),
    "channels first again, H and W merged": (NCHW, "y.permute(0, 3, 1, 2).reshape(B, W, C * H)", "warning"),
    "flatten of H and W: a view": (NCHW, "y.permute(0, 2, 3, 1).flatten(1, 2)", "error"),
    "permuted back: contiguous": (NCHW, "y.permute(0, 2, 3, 1).permute(0, 3, 1, 2).reshape(B, C, -1)", "error"),
    "transposed back: contiguous": (NLC, "y.transpose(1, 2).transpose(1, 2).reshape(B, -1)", "error"),
    "flatten of the adjacent pair": (NLC, "y.permute(2, 0, 1).flatten(1)", "error"),
    "merged the last two, apart in memory: a copy": (NLC, "y.permute(0, 2, 1).reshape(B, -1)", None),
    "flatten of dims apart in memory: a copy": (NLC, "y.permute(0, 2, 1).flatten(1)", None),
    "flatten of all of a permuted tensor: a copy": (NLC, "y.permute(2, 0, 1).flatten()", None),
    "flatten of W and C: a copy": (NCHW, "y.permute(0, 2, 3, 1).flatten(2)", None),
    "flatten of B and H: a copy": (NCHW, "y.permute(0, 2, 3, 1).flatten(0, 1)", None),
    "B merged with H: a copy": (NCHW, "y.permute(0, 2, 3, 1).reshape(B * H, W, -1)", None),
    "all but channels merged: a copy": (NCHW, "y.permute(0, 2, 3, 1).reshape(B * H * W, C)", None),
    "heads moved: a copy": (NCHW, "y.permute(0, 2, 1, 3).reshape(B, H, -1)", None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_merge_of_permuted_dims_is_a_view_only_when_they_are_adjacent_in_memory(tmp_path: Path, name: str):
    (sizes, names), expr, expected = CASES[name]
    text = PROGRAM.replace("SIZES", sizes).replace("NAMES", names).replace("EXPR", expr)
    path = tmp_path / "program.py"
    path.write_text(text)
    found = [(f.code, f.span.line, f.severity.value) for f in analyze(text, str(path), Config()).findings]
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if expected is None:
        assert ran.returncode == 0 and "ok False" in ran.stdout, ran.stderr  # a copy: no `_base`
        assert found == []
    else:
        assert "modified by an inplace operation" in ran.stderr
        assert found == [("GG201", 8, expected)]
