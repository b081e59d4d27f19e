"""A library's nn.Parameter subclass (geoopt's `ManifoldParameter`) and its in-place methods.

`lib.ManifoldParameter(t, manifold=m)` makes a leaf that requires grad, as `nn.Parameter(t)` does, and a method
torch does not have whose name ends in an underscore (`proj_()`, which geoopt writes with `copy_`) changes it in
place: outside `torch.no_grad()` torch raises. library_parameter/ holds such a library (manifoldlib, not analysed:
an import the walk does not follow) and a layer built with it, run under torch here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

HERE = Path(__file__).resolve().parent / "library_parameter"
LEAF = "a leaf Variable that requires grad is being used in an in-place operation"


@pytest.mark.parametrize("name, found", [("bad.py", [("GG101", 10)]), ("good.py", [])])
def test_a_library_parameter_changed_in_place_outside_no_grad(name: str, found: list):
    path = HERE / name
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(HERE)})
    assert (LEAF in run.stderr) == bool(found), run.stderr[-2000:]
    assert found or run.returncode == 0, run.stderr[-2000:]
    result = analyze(path.read_text(), str(path), Config(strict=True))
    assert result.error is None, result.error
    assert [(f.code, f.span.line) for f in result.findings] == found


LAYER = """\
import torch
import geoopt


class Layer(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.weight = MAKE.METHOD()
"""


@pytest.mark.parametrize("make, method, found", [
    ("geoopt.ManifoldParameter(torch.randn(n, n), manifold=geoopt.Sphere())", "proj_", True),
    ("geoopt.ManifoldParameter(torch.randn(n, n), requires_grad=False)", "proj_", False),  # no leaf that needs grad
    ("geoopt.ManifoldParameter(torch.randn(n, n))", "proj", False),  # out of place
    ("geoopt.ManifoldParameter(torch.randn(n, n))", "_proj_", False),  # private: no sign of an in-place method
    ("geoopt.ManifoldTensor(torch.randn(n, n))", "proj_", False),  # not a Parameter: what it is, unknown
])
def test_which_library_calls_make_a_parameter_and_which_methods_change_it(make: str, method: str, found: bool):
    source = LAYER.replace("MAKE", make).replace("METHOD", method)
    result = analyze(source, "layer.py", Config(strict=True))
    assert result.error is None, result.error
    assert [(f.code, f.span.line) for f in result.findings] == ([("GG101", 8)] if found else [])
