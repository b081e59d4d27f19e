"""A name joined after an `if` may hold a tensor made on one side of it: `if self.resize: identity = self.conv(x)`,
`else: identity = x`, then `identity.relu_()`. When the op that saved that tensor ran on the same side (or before the
`if`), the change breaks backward whenever that side runs, whatever the other side holds: an error, as the same
change written on the side itself is (SqueezeNext, realbugs4 R02). A save on the other side never meets it: no
finding. A change guarded by another `if`, or a name rebound by another `if`, may never meet the tensor: those stay
information (--strict). Each
program runs under torch with the flag both ways, and gradguard sees the same text with the flag unknown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

MODULE = '''import sys

import torch
import torch.nn as nn


class Unit(nn.Module):
    def __init__(self, flag):
        super().__init__()
        self.flag = flag
        self.pre = nn.Conv2d(4, 4, 1)
        self.conv = nn.Conv2d(4, 4, 1)
        self.activ = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.pre(x)
BODY
        return y


x = torch.randn(1, 4, 3, 3)
Unit(sys.argv[1] == "on")(x).sum().backward()
'''

CASES = [
    # (forward's body, torch raises with the flag on, gradguard's loudest finding on the change in --strict)
    # made and saved on one side, changed after the join: torch raises whenever that side runs
    ("if self.flag:\n    y = self.activ(self.conv(x))\nelse:\n    y = self.conv(x)\ny.relu_()", True, "error"),
    ("if self.flag:\n    y = self.conv(x).exp()\nelse:\n    y = x + 1\ny += 1", True, "error"),
    # the save on the other side from the tensor the name holds there (`conv` keeps x on the flag's side, where `y`
    # is conv's output): the change never meets it, and torch raises with neither setting (nothing since session 17)
    ("if self.flag:\n    y = self.conv(x) * 2\nelse:\n    y = x\ny.relu_()", False, None),
    # the shortcut's block ends in no op that keeps its output
    ("if self.flag:\n    y = self.conv(x) * 2\nelse:\n    y = x * 1\ny.relu_()", False, None),
    # the change runs only where the other side ran (the same flag, tested again)
    ("if self.flag:\n    y = self.conv(x).exp()\nelse:\n    y = self.conv(x)\nif not self.flag:\n    y.add_(1)",
     False, "information"),
    # the flag's side rebinds the name to a copy before the change
    ("if self.flag:\n    y = self.conv(x).exp()\nelse:\n    y = self.conv(x)\nif self.flag:\n    y = y.clone()\n"
     "y.add_(1)", False, "information"),
]


@pytest.mark.parametrize("body, raises, expected", CASES)
def test_a_tensor_made_on_one_side(tmp_path: Path, body, raises, expected):
    text = MODULE.replace("BODY", "\n".join("        " + line for line in body.splitlines()))
    path = tmp_path / "unit.py"
    path.write_text(text)
    for setting in ("on", "off"):
        ran = subprocess.run([sys.executable, str(path), setting], capture_output=True, text=True, cwd=tmp_path)
        if raises and setting == "on":
            assert "modified by an inplace operation" in ran.stderr
        else:
            assert ran.returncode == 0, ran.stderr
    change_line = MODULE.splitlines().index("BODY") + len(body.splitlines())
    found = [f for f in analyze(text, "unit.py", Config(strict=True)).findings
             if f.code == "GG201" and f.span.line == change_line]
    assert [f.severity.value for f in found] == ([] if expected is None else [expected])
