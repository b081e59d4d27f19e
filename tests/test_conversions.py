"""`.contiguous()`, `.float()`, `.type_as()`, `.to()` return the tensor itself when nothing has to change, and a copy
otherwise. Each program is analysed and run under torch: gradguard reports where torch raises (a warning when the
dtype decides it), and nothing where the conversion copies and torch runs clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

CHUNK = '''import torch

torch.manual_seed(0)
w = torch.randn(4, 6, requires_grad=True)
k, v = (torch.randn(2, 3, 4) @ w).chunk(2, dim=DIM)
k = k.contiguous()
k *= 2
(k * v).sum().backward()
print("ok")
'''

EXPANDED = '''import torch

torch.manual_seed(0)
r = torch.randn(2, 3, 3, requires_grad=True)
m = torch.eye(4).expand(2, 4, 4).contiguous()
m[..., :3, :3] = r
(m @ m).sum().backward()
print("ok")
'''

CAST = '''import torch

torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
p = torch.softmax(x, dim=-1).CAST
p.mul_(2)
(p * x).sum().backward()
print("ok")
'''


def analyse_and_run(tmp_path: Path, text: str):
    path = tmp_path / "program.py"
    path.write_text(text)
    found = analyze(text, str(path), Config())
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    return [(f.code, f.span.line, f.severity.value) for f in found.findings], ran


def test_a_piece_cut_along_the_first_axis_is_contiguous_already(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, CHUNK.replace("DIM", "0"))
    assert "is a view and is being modified inplace" in ran.stderr
    assert found == [("GG301", 7, "error")]


def test_a_piece_cut_along_the_last_axis_is_copied(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, CHUNK.replace("DIM", "-1"))
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found == []


def test_an_expanded_tensor_is_copied(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, EXPANDED)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found == []


@pytest.mark.parametrize("cast", ["float()", "type_as(x)", "to(torch.float32)"])
def test_a_cast_to_the_dtype_it_has_is_the_tensor_itself(tmp_path: Path, cast: str):
    found, ran = analyse_and_run(tmp_path, CAST.replace("CAST", cast))
    assert "modified by an inplace operation" in ran.stderr
    assert found == [("GG201", 6, "warning")]


@pytest.mark.parametrize("cast", ["double()", "to(torch.long)"])
def test_a_cast_to_another_dtype_is_a_copy(tmp_path: Path, cast: str):
    found, ran = analyse_and_run(tmp_path, CAST.replace("CAST", cast))
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found == []
