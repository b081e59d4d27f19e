"""`reshape` that only splits dims is a view whatever the input's layout: torch finds strides for a split of any
dim (stride s into (n, m): (m * s, s)), so `t.reshape(*t.shape[:-1], -1, 2)` of a slice, a transpose or a permuted
head shares its memory, while merging dims of such a tensor copies. Each program is analysed and run under torch:
gradguard reports where torch raises, and nothing where torch copies and runs clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import torch

torch.manual_seed(0)
x = torch.randn(2, 6, 24, requires_grad=True)
y = torch.relu(x)
t = PIECE
o = EXPR
o += 1
o.sum().backward()
print("ok", o._base is not None)
'''
WRITE_LINE = 8

SLICE = "y[:, :, 1:17]"
TRANSPOSED = "y.transpose(0, 1)"
HEADS = "y.reshape(2, 6, 3, 2, 4).permute(2, 0, 3, 1, 4)[0][:, :, 1:]"

# (the non-contiguous piece, the reshape of it, the severity gradguard gives at `o += 1` or None); torch raises
# exactly where a finding is expected
CASES = {
    "last dim of a slice split in pairs": (SLICE, "t.reshape(*t.shape[:-1], -1, 2)", "error"),
    "split written as a tuple sum": (SLICE, "t.reshape(t.shape[:-1] + (-1, 2))", "error"),
    "split of size() as a tuple": (SLICE, "t.reshape((*t.size()[:-1], 2, -1))", "error"),
    "split into three sizes": (TRANSPOSED, "t.reshape(*t.shape[:-1], 2, 3, -1)", "error"),
    "torch form": (TRANSPOSED, "torch.reshape(t, t.shape[:-1] + (4, 6))", "error"),
    # `.float()` is `t` itself for float32, which the walk does not know: a warning that says so
    "split after a dtype no-op": (HEADS, "t.float().reshape(*t.shape[:-1], -1, 2)", "warning"),
    "heads of a permuted projection": (HEADS, "t.reshape(*t.shape[:-1], 2, 2)", "error"),
    "the last two merged: a copy": (SLICE, "t.reshape(*t.shape[:-2], -1)", None),
    "all merged: a copy": (TRANSPOSED, "t.reshape(-1)", None),
    "another tensor's shape: not read as a split": (SLICE, "t.reshape(*x.shape[:-1], -1, 2)", None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_split_of_any_layout_is_a_view(tmp_path: Path, name: str):
    piece, expr, expected = CASES[name]
    text = PROGRAM.replace("PIECE", piece).replace("EXPR", expr)
    path = tmp_path / "program.py"
    path.write_text(text)
    found = [(f.code, f.span.line, f.severity.value) for f in analyze(text, str(path), Config()).findings
             if f.severity.value in ("error", "warning")]
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if expected is None:
        assert found == []
        if "x.shape" not in expr:  # (that one raises: x's shape is not t's)
            assert ran.returncode == 0 and "ok False" in ran.stdout, ran.stderr  # a copy: no `_base`
    else:
        assert "modified by an inplace operation" in ran.stderr, ran.stderr
        assert found == [("GG201", WRITE_LINE, expected)]


def test_a_split_of_a_chunk_piece_is_one_of_its_views(tmp_path: Path):
    """A chunk piece's head split is a view of the piece for any sizes that split (it used to be a maybe): changing
    it in place raises as changing the piece does (and, were it allowed, relu's saved output would be stale: both
    findings, as for `t.view(...)`)."""
    text = PROGRAM.replace("PIECE", "y.chunk(3, dim=-1)[1]").replace("EXPR", "t.reshape(*t.shape[:-1], 2, -1)")
    path = tmp_path / "program.py"
    path.write_text(text)
    found = [(f.code, f.span.line, f.severity.value) for f in analyze(text, str(path), Config()).findings
             if f.severity.value in ("error", "warning")]
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert "output of a function that returns multiple views" in ran.stderr, ran.stderr
    assert sorted(found) == [("GG201", WRITE_LINE, "error"), ("GG301", WRITE_LINE, "error")]
