"""Helpers that pick a module by the name a configuration gives (`get_act(name)`: `name.lower()`, one branch per
name, `raise` otherwise), as synthtorch's U-Net builds its conv blocks (realbugs9 K02). Each verdict is checked
under torch:

- `name.lower()` of a literal or of a constructor's default is folded, so the helper's branch for that name is the
  one taken (the defaults' side, for a default);
- an in-place dropout whose rate is 0 by the constructor's default, inside a block the defaults chose, changes its
  input only when built with another rate: the warning names both conditions.
"""

from __future__ import annotations

import subprocess
import sys

from gradguard.config import Config
from gradguard.engine import analyze

HELPERS = '''import torch
import torch.nn as nn


def get_act(name, inplace=True):
    """The activation `name` stands for."""
    if name.lower() == "relu":
        act = nn.ReLU(inplace=inplace)
    elif name.lower() == "identity":
        act = nn.Identity()
    else:
        raise ValueError(name)
    return act


def get_norm(name, features):
    """The normalization `name` stands for."""
    if name.lower() == "batch":
        norm = nn.BatchNorm2d(features)
    elif name.lower() == "none":
        norm = None
    else:
        raise ValueError(name)
    return norm


'''

LITERAL = HELPERS + '''class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = get_act("ReLU")
        self.conv = nn.Conv2d(1, 4, 3)

    def forward(self, x):
        out = self.act(self.conv(x))
        out += 1  # the change
        return out


torch.manual_seed(0)
Block()(torch.randn(2, 1, 6, 6)).sum().backward()
'''

CONFIGURED = HELPERS + '''class Block(nn.Module):
    def __init__(self, dropout_p=0, norm="batch"):
        super().__init__()
        self.dropout_p = dropout_p
        self.body = self._block(1, 4, norm)

    def forward(self, x):
        return self.body(x)

    def _block(self, in_c, out_c, norm):
        normalization = get_norm(norm, out_c)
        if normalization is not None:
            return nn.Sequential(nn.Conv2d(in_c, out_c, 3), normalization, get_act("relu"),
                                 nn.Dropout2d(self.dropout_p, inplace=True))  # the change
        return nn.Sequential(nn.Conv2d(in_c, out_c, 3), get_act("relu"), nn.Dropout2d(self.dropout_p, inplace=True))
'''


def run_under_torch(tmp_path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "program.py"
    path.write_text(text)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)


def at_change(text: str) -> list:
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.endswith("# the change"))
    return [f for f in analyze(text, "block.py", Config()).findings if f.span.line == line]


def test_a_literal_name_lowered_picks_its_branch(tmp_path):
    run = run_under_torch(tmp_path, LITERAL)
    assert "modified by an inplace operation" in run.stderr
    found = at_change(LITERAL)
    assert [(f.code, f.severity.value) for f in found] == [("GG201", "error")]
    # the other name picks nn.Identity, which keeps nothing: quiet, and torch agrees
    other = LITERAL.replace('get_act("ReLU")', 'get_act("Identity")')
    assert run_under_torch(tmp_path, other).returncode == 0
    assert at_change(other) == []


def test_a_rate_zero_by_default_inside_a_block_the_defaults_chose(tmp_path):
    driver = "\n\ntorch.manual_seed(0)\nBlock(RATE)(torch.randn(2, 1, 6, 6)).sum().backward()\n"
    assert run_under_torch(tmp_path, CONFIGURED + driver.replace("RATE", "")).returncode == 0
    run = run_under_torch(tmp_path, CONFIGURED + driver.replace("RATE", "dropout_p=0.2"))
    assert "modified by an inplace operation" in run.stderr
    assert run_under_torch(tmp_path, CONFIGURED + driver.replace("RATE", "dropout_p=0.2, norm='none'")).returncode
    found = at_change(CONFIGURED)
    assert [(f.code, f.severity.value) for f in found] == [("GG201", "warning")]
    assert "with a rate above `dropout_p=0`" in found[0].message
    assert "with the constructor's default `norm='batch'`" in found[0].message
