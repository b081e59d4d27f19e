"""`forward_*` methods run as forward does: grad mode on, walked on their own (RWKV_Pytorch's `forward_parallel`,
realbugs8 H03). Not the ones named for inference (`forward_test`, `forward_inference`), and not one the class
installs as its forward by a setting (timm's FasterNet: `self.forward = self.forward_slicing`, "only for
inference"): the setting says which runs.

Each program runs under torch with its driver; gradguard sees the class alone (no driver), as in a model file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

CLASS = '''import torch
import torch.nn as nn


class RecurrentBlock(nn.Module):
    def __init__(self, dim=4, mode="parallel"):
        super().__init__()
        self.decay = nn.Parameter(torch.rand(dim))
        self.proj = nn.Linear(dim, dim)
INSTALL
    def forward(self, x, state):
        return self.proj(x) + self.decay * state[:, 0]

    def METHOD(self, x, state):
        prev = state[:, 0]
        mixed = self.decay * prev + self.proj(x)
        state[:, 0] = x
        return mixed
'''

DRIVER = '''

block = RecurrentBlock()
out = block.METHOD(torch.randn(2, 4), torch.randn(2, 3, 4))
out.sum().backward()
'''

INSTALL = '''        if mode == "slicing":
            self.forward = self.METHOD
'''

CASES = [
    # (method name, installed as forward by a setting, gradguard's finding)
    ("forward_parallel", False, ["GG201"]),
    ("forward_train", False, ["GG201"]),
    ("forward_test", False, []),
    ("forward_inference", False, []),
    ("forward_slicing", True, []),
]


@pytest.mark.parametrize("method, installed, expected", CASES)
def test_forward_variants(tmp_path: Path, method, installed, expected):
    cls = CLASS.replace("INSTALL", INSTALL if installed else "").replace("METHOD", method)
    path = tmp_path / "block.py"
    path.write_text(cls + DRIVER.replace("METHOD", method))
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    # torch raises for every one of them when it runs with grad: the names decide only whether it does in training
    assert ran.returncode == 1 and "modified by an inplace operation" in ran.stderr, ran.stderr
    assert [f.code for f in analyze(cls, "block.py", Config()).findings] == expected
    if not expected:  # the grad mode is the caller's: information, with the condition
        strict = analyze(cls, "block.py", Config(strict=True)).findings
        assert [(f.code, f.severity.value) for f in strict] == [("GG201", "information")]
