"""`if extra is not None:` in a function the file itself calls: the caller shows whether it passes the argument.

A tensor the walk made (or one a walked caller passed in) is never None, so the branch is known; the unit walked
on its own, a caller's own argument, or a name that is None on another path leave it to the caller. Each program
runs under torch as written, and gradguard sees the same text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

BLOCK = '''import sys

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.act = nn.ReLU()

    def forward(self, x, extra=None):
        x = self.act(self.proj(x))
        if extra is not None:
            x += extra
        return x


CALLER
'''

CHANGE_LINE = 16

CASES = [
    # (the code that calls the block, torch raises?, gradguard's loudest finding on the change's line)
    ("block = Block(4)\nblock(torch.randn(2, 4), torch.randn(4)).sum().backward()", True, "error"),
    ("block = Block(4)\nblock(torch.randn(2, 4), extra=torch.randn(4)).sum().backward()", True, "error"),
    ("block = Block(4)\nblock(torch.randn(2, 4)).sum().backward()", False, None),
    ("block = Block(4)\nblock(torch.randn(2, 4), None).sum().backward()", False, None),
    # None on the path torch takes here, a tensor on another: not known for sure
    ("extra = None\nif len(sys.argv) > 1:\n    extra = torch.randn(4)\n"
     "Block(4)(torch.randn(2, 4), extra).sum().backward()", False, None),
    # a parent passes its own parameter: the branch runs
    ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block(4)\n"
     "        self.pos = nn.Parameter(torch.randn(4))\n\n    def forward(self, x):\n"
     "        return self.block(x, self.pos)\n\n\nNet()(torch.randn(2, 4)).sum().backward()", True, "error"),
]


@pytest.mark.parametrize("caller, raises, expected", CASES)
def test_a_passed_tensor_takes_the_branch(tmp_path: Path, caller, raises, expected):
    text = BLOCK.replace("CALLER", caller)
    path = tmp_path / "block.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if raises:
        assert "modified by an inplace operation" in ran.stderr
    else:
        assert ran.returncode == 0, ran.stderr
    found = [f for f in analyze(text, "block.py", Config()).findings if f.span.line == CHANGE_LINE]
    assert [(f.code, f.severity.value) for f in found] == ([] if expected is None else [("GG201", expected)])


def test_the_block_alone_depends_on_its_caller():
    """Nothing in the file calls the block: whether `extra` is passed is the caller's (information, in --strict)."""
    text = BLOCK.replace("CALLER", "")
    assert analyze(text, "block.py", Config()).findings == []
    strict = analyze(text, "block.py", Config(strict=True)).findings
    assert [(f.code, f.span.line, f.severity.value) for f in strict] == [("GG201", CHANGE_LINE, "information")]
    assert "whether the caller passes `extra`" in strict[0].message
