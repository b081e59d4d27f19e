"""`outs = (); for block in blocks: outs += block(x)`: a tuple grown by the outputs of modules the walk does not see
into (items of a ModuleList) is a tuple, not a tensor. The walk took `() + <module output>` for a tensor `add`, and
iterating it for `unbind` views: a GG301 error on `o += extra[i]` where torch runs clean (diffusers' ControlNet residuals,
found while mining realbugs8). Python raises for `tuple + tensor`, so the right side was a sequence after all.

Each program runs under torch; gradguard must agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import torch
import torch.nn as nn


class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 4)
        self.b = nn.Linear(4, 4)

    def forward(self, x):
        return (self.a(x), self.b(x))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.pairs = nn.ModuleList([Pair(), Pair()])

    def forward(self, x, extra):
        outs = START
        for p in self.pairs:
            GROW
        for i, o in enumerate(outs):
            o += extra[i]
        return sum(o.sum() for o in outs)


if __name__ == "__main__":
    net = Net()
    extra = [torch.randn(2, 4, requires_grad=True) for _ in range(4)]
    net(torch.randn(2, 4), extra).backward()
'''

CASES = [
    # (start, grow, what torch raises, gradguard's findings)
    ("()", "outs += p(x)", None, []),
    ("[]", "outs += p(x)", None, []),
    ("()", "outs = outs + p(x)", None, []),
    # a real tensor, iterated: the rows are views of one base that unbind returned together
    ("torch.stack([x * extra[0], x * extra[1]])", "pass",
     "is a view and is being modified inplace", ["GG301"]),
]


@pytest.mark.parametrize("start, grow, raises, expected", CASES)
def test_a_tuple_grown_by_module_outputs_is_a_tuple(tmp_path: Path, start, grow, raises, expected):
    text = PROGRAM.replace("START", start).replace("GROW", grow)
    path = tmp_path / "grown.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if raises is None:
        assert ran.returncode == 0, ran.stderr
    else:
        assert ran.returncode == 1 and raises in ran.stderr, ran.stderr
    assert [f.code for f in analyze(text, "grown.py", Config()).findings] == expected
