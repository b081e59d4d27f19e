"""An analysis that follows another workspace file's classes leaves nothing for the cyclic collector: the CLI
freezes every parsed tree (engine.tune_gc(batch=True)), so a cycle of the analysis would never be freed."""

from __future__ import annotations

import gc

from gradguard import engine
from gradguard.config import Config
from gradguard.project import Project

LAYERS = """import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(self.fc(x))
"""

MODEL = """import torch
import torch.nn as nn
from layers import Block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(8) for _ in range(2)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        h = torch.sigmoid(x)
        h += 1
        return h
"""


def test_following_another_files_classes_leaves_no_cycles(tmp_path):
    (tmp_path / "layers.py").write_text(LAYERS)
    (tmp_path / "model.py").write_text(MODEL)
    project = Project(str(tmp_path))
    path = str(tmp_path / "model.py")
    first = engine.analyze(MODEL, path, Config(), project=project)
    assert [f.code for f in first.findings] == ["GG201"]
    assert str(tmp_path / "layers.py") in first.dependencies  # Block was followed into its file
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            engine.analyze(MODEL, path, Config(), project=project)
        assert gc.collect() == 0
    finally:
        gc.enable()
