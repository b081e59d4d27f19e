"""Two things a module walked on its own (no caller in the file) used to lose, each checked under torch.

- A piece of the caller's tensor (`x1, x2 = x.chunk(2, 1)` in forward) stays a piece of it: changing it in place
  raises ('... is a view and is being modified inplace') whenever the caller's tensor requires grad, as it does on
  the training path: a GG301 warning. It used to become a fresh tensor of unknown origin, as an item of a tuple
  argument does (`h, c = state`).
- A rate compared with a constant (`if self.training and self.p > 0.:`, `p=0.` by default) takes both sides, as
  `if self.p:` does: a schedule may set the rate after building (DARTS sets every cell's drop-path rate). It used
  to be read as `False` and the branch, which changes the caller's tensor in place (GG202), was never walked.

Each program runs under torch with its driver; gradguard sees the classes alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

COUPLING = '''import torch
import torch.nn as nn


class AffineCoupling(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Linear(dim // 2, dim // 2)

    def forward(self, x):
        x1, x2 = SPLIT
        x2 *= torch.sigmoid(self.net(x1))
        return torch.cat([x1, x2], dim=1)


if __name__ == "__main__":
    encoder = nn.Linear(3, 4)
    AffineCoupling(4)(encoder(torch.randn(2, 3))).sum().backward()
'''

DROP_PATH = '''import torch
import torch.nn as nn


class DropPath(nn.Module):
    def __init__(self, p=0.):
        super().__init__()
        self.p = p

    def forward(self, x):
        if TEST:
            keep = 1. - self.p
            mask = torch.zeros((x.size(0), 1)).bernoulli_(keep)
            x.div_(keep).mul_(mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    drop_path = DropPath()
    drop_path.p = 0.5
    x = torch.randn(4, 3, requires_grad=True) * 1.0
    (torch.sigmoid(x) + drop_path(torch.sigmoid(x))).sum().backward()
'''


def run(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "program.py"
    path.write_text(text)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)


def findings(text: str) -> list[tuple]:
    library = text.split('if __name__ == "__main__":')[0]
    return [(f.code, f.span.line, f.severity.value) for f in analyze(library, "program.py", Config()).findings]


@pytest.mark.parametrize("split", ["x.chunk(2, dim=1)", "torch.split(x, 2, dim=1)"])
def test_a_piece_of_the_callers_tensor_changed_in_place(tmp_path: Path, split):
    text = COUPLING.replace("SPLIT", split)
    assert "is a view and is being modified inplace" in run(tmp_path, text).stderr
    assert ("GG301", 12, "warning") in findings(text)


def test_a_piece_changed_into_a_new_tensor_is_no_finding(tmp_path: Path):
    text = COUPLING.replace("SPLIT", "x.chunk(2, dim=1)").replace("x2 *= ", "x2 = x2 * ")
    assert run(tmp_path, text).returncode == 0
    assert findings(text) == []


@pytest.mark.parametrize("test", ["self.training and self.p > 0.", "self.p > 0", "self.p != 0.", "self.p"])
def test_a_rate_compared_with_a_constant_takes_both_sides(tmp_path: Path, test):
    text = DROP_PATH.replace("TEST", test)
    assert "modified by an inplace operation" in run(tmp_path, text).stderr
    assert findings(text) == [("GG202", 14, "warning")]


def test_a_size_compared_with_a_constant_is_what_it_is_written_as():
    """`stride=1` is a size: `if self.stride > 1:` stays false for the class walked with its defaults."""
    text = DROP_PATH.replace("p=0.", "p=1").replace("TEST", "self.p > 1")
    assert findings(text) == []


def test_a_view_of_the_callers_tensor_is_named_as_one():
    text = '''import torch.nn as nn


class Flat(nn.Module):
    def forward(self, x):
        flat = x.view(-1)
        flat *= 2
        return x
'''
    [found] = analyze(text, "program.py", Config()).findings
    assert found.code == "GG202" and found.message.startswith(
        "`flat` is a view of the tensor the caller passed in as `x`;")


TEXT_SPLITS = '''import os


def rename(path, version, qkv):
    parts = list(path.split(os.sep))
    for i, name in enumerate(parts):
        if "--" in name:
            parts[i] += "-peft"
    model, tag = version.split(":")
    model += f":{tag}"
    words = path.rsplit("/", 1)
    words[0] += "!"
    query, key = qkv.split(4, dim=-1)
    query *= 2
    return parts, model, words, query
'''


def test_str_split_of_an_argument_is_text_and_torch_split_a_piece(tmp_path: Path):
    """`path.split(os.sep)`, `version.split(":")`, `path.rsplit("/", 1)` on an argument are str.split: their
    pieces are strings, and `+=` on them is no finding (the peft and lightning code of the corpus). torch's
    `qkv.split(4, dim=-1)` still gives pieces that raise when changed in place: Python runs this program and
    torch raises on the tensor call only."""
    path = tmp_path / "splits.py"
    path.write_text(TEXT_SPLITS + '''

if __name__ == "__main__":
    import torch
    print(rename("a/b--c/d", "m:v1", torch.zeros(2, 8, requires_grad=True) * 1))
''')
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 1 and "is a view and is being modified inplace" in ran.stderr
    assert "query *= 2" in ran.stderr.splitlines()[-3] or "line 14" in ran.stderr
    found = analyze(TEXT_SPLITS, "splits.py", Config(strict=True)).findings
    assert [(f.code, f.span.line) for f in found] == [("GG301", 14)]
