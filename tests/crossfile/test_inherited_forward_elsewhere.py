"""A forward inherited from a base class of another workspace file, which calls a hook the subclass defines.

keras-core's merging layers: base_merge.py's `Merge.call` returns `self._merge_function(inputs)`, and add.py's
`class Add(Merge)` defines only `_merge_function`, whose `output = inputs[0]; output += inputs[i]` adds into the
caller's first input (a ReLU output, saved by ReluBackward: the backward raises). add.py is checked with the
inherited forward walked with Add's `self`, as it is when both classes share a file; the fixed twin
(`output = output + inputs[i]`) is clean, and a change made by the base's forward itself is base.py's finding,
not add.py's. Each program runs under torch too.
"""

from __future__ import annotations

from pathlib import Path

from crossfile_support import run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

BASE = '''import torch
from torch import nn


class Merge(nn.Module):
    def __init__(self, scale=1.0):
        super().__init__()
        self.scale = scale

    def _merge_function(self, inputs):
        raise NotImplementedError

    def forward(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("a merge layer takes a list of tensors")
        return self._merge_function(inputs)
'''
# The base's forward scales the caller's first input in place before the hook: base.py's own bug.
BASE_CHANGING = BASE.replace('''        return self._merge_function(inputs)''', '''        first = inputs[0]
        first *= self.scale
        return self._merge_function(inputs)''')
ADD = '''from pkg.base import Merge


class Add(Merge):
    def _merge_function(self, inputs):
        output = inputs[0]
        for i in range(1, len(inputs)):
            output += inputs[i]
        return output
'''
ADD_FIXED = ADD.replace("output += inputs[i]", "output = output + inputs[i]")
ADD_LINE = 8  # `output += inputs[i]`
RUN = '''import torch
from pkg.add import Add

torch.manual_seed(0)
a = torch.randn(5, 8, requires_grad=True)
b = torch.randn(5, 8, requires_grad=True)
out = Add()([torch.relu(a), torch.relu(b)])
out.sum().backward()
'''
BACKWARD_LINE = 8
SAVED_CHANGED = "modified by an inplace operation"


def workspace(root: Path, base: str, add: str) -> Path:
    package = root / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(base)
    (package / "add.py").write_text(add)
    return root


def check(ws: Path, name: str):
    path = ws / "pkg" / name
    result = analyze(path.read_text(), str(path), Config(), project=Project(str(ws), jedi_budget=10.0))
    assert result.error is None
    return result.findings


def run(tmp_path: Path, ws: Path) -> dict:
    script = tmp_path / f"run_{ws.name}.py"  # outside the workspace: not a caller the analysis sees
    script.write_text(RUN)
    return run_under_torch([{"id": "r", "workspace": str(ws), "file": str(script)}])["r"]


def test_the_subclass_hook_under_an_inherited_forward_is_on_the_training_path(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "bug", BASE, ADD)
    assert [(f.span.line, f.code) for f in check(ws, "add.py")] == [(ADD_LINE, "GG202")]
    assert check(ws, "base.py") == []  # the base's own hook raises; nothing of base.py changes a tensor
    got = run(tmp_path, ws)
    assert got["raised"] and got["line"] == BACKWARD_LINE and SAVED_CHANGED in got["message"], got


def test_the_fixed_hook_is_clean(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "fixed", BASE, ADD_FIXED)
    assert check(ws, "add.py") == []
    assert not run(tmp_path, ws)["raised"]


def test_a_change_made_by_the_base_forward_is_the_base_file_finding(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "base_bug", BASE_CHANGING, ADD_FIXED)
    assert check(ws, "add.py") == []
    assert [(f.span.line, f.code) for f in check(ws, "base.py")] == [(BASE_CHANGING.splitlines().index(
        "        first *= self.scale") + 1, "GG202")]
    got = run(tmp_path, ws)
    assert got["raised"] and got["line"] == BACKWARD_LINE and SAVED_CHANGED in got["message"], got


def test_without_the_workspace_the_subclass_shows_nothing(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "alone", BASE, ADD)
    path = ws / "pkg" / "add.py"
    assert analyze(path.read_text(), str(path), Config()).findings == []
