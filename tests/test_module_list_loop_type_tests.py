"""A `for` over an nn.ModuleList of unlike blocks is walked block by block, unless the body asks the block's class
(`if isinstance(layer, nn.Conv2d): x *= mask`, transformers' Parakeet subsampling): the walk cannot answer that,
and taking the branch for every block would put the mask on the ReLU's output, which torch never does. Torch runs
the program: it must run, and gradguard must stay quiet."""

from __future__ import annotations

import subprocess
import sys

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = """\
import torch
import torch.nn as nn


class Subsampling(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.layers = nn.ModuleList([nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(),
                                     nn.Conv2d(channels, channels, 1), nn.ReLU()])

    def forward(self, x, mask):
        for layer in self.layers:
            x = layer(x)
            if isinstance(layer, nn.Conv2d):
                x *= mask
        return x


x = torch.randn(2, 1, 5, 5, requires_grad=True)
Subsampling(4)(x, torch.ones(5, 5)).sum().backward()
print("ok")
"""


def test_masking_only_after_convs_is_quiet(tmp_path):
    (tmp_path / "program.py").write_text(PROGRAM)
    run = subprocess.run([sys.executable, "program.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "ok" in run.stdout, run.stderr
    assert analyze(PROGRAM, "program.py", Config()).findings == []
