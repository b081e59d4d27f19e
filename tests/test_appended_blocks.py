"""Blocks appended to an nn.ModuleList in `__init__` (`self.stages.append(Stage(ch))` in a loop) are the list's
members: iterating the list in forward reaches what each block saves. OpenMMLab's `ModuleList` (mmcv.runner,
mmengine.model) is torch's with an `init_cfg` keyword (facts.NN_CLASS_ALIASES).

Each program runs under torch (with torch.nn's ModuleList); gradguard sees it with the import the test gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import torch
import torch.nn as nn
IMPORT


class Stage(nn.Module):
    def __init__(self, ch, act=True):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(ch, 1, 1))
        self.act = nn.ReLU() if act else None

    def forward(self, x):
        x = x + self.bias
        return x if self.act is None else self.act(x)


class Neck(nn.Module):
    def __init__(self, ch=4, repeat=2):
        super().__init__()
        self.stages = ModuleList()
        for i in range(repeat):
            self.stages.append(BLOCK)

    def forward(self, x):
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i == 0:
                total = x
            else:
                total ADD
        return total
'''
DRIVER = '''
neck = Neck()
neck(torch.randn(1, 4, 5, 5)).sum().backward()
print("ran")
'''
TORCH_IMPORT = "from torch.nn import ModuleList"
THIRD_PARTY = ["from torch.nn import ModuleList", "from mmcv.runner import BaseModule, ModuleList",
               "from mmengine.model import ModuleList"]


def run_torch(tmp_path: Path, block: str, add: str) -> bool:
    """Does torch raise the in-place error on the program (built with torch.nn's ModuleList)?"""
    path = tmp_path / "neck.py"
    path.write_text(PROGRAM.replace("IMPORT", TORCH_IMPORT).replace("BLOCK", block).replace("ADD", add) + DRIVER)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if ran.returncode == 0:
        return False
    assert "modified by an inplace operation" in ran.stderr, ran.stderr
    return True


def findings(block: str, add: str, imports: str) -> list[tuple[str, int, str]]:
    text = PROGRAM.replace("IMPORT", imports).replace("BLOCK", block).replace("ADD", add)
    return [(f.code, f.span.line, f.severity.value) for f in analyze(text, "neck.py", Config()).findings]


@pytest.mark.parametrize("imports", THIRD_PARTY)
def test_blocks_appended_in_a_loop(tmp_path: Path, imports: str):
    assert run_torch(tmp_path, "Stage(ch)", "+= x")
    assert findings("Stage(ch)", "+= x", imports) == [("GG201", 30, "error")]
    assert not run_torch(tmp_path, "Stage(ch)", "= total + x")
    assert findings("Stage(ch)", "= total + x", imports) == []


def test_blocks_built_otherwise_in_later_passes_leave_the_list_unknown(tmp_path: Path):
    """The first block has no ReLU (its output is saved by nothing, the next block only adds to it), the later ones do: torch runs clean, and
    reading every block as a later one would report the first one's output. The list stays unknown: nothing."""
    assert not run_torch(tmp_path, "Stage(ch, act=i > 0)", "+= x")
    assert findings("Stage(ch, act=i > 0)", "+= x", TORCH_IMPORT) == []


def test_a_list_built_from_unknown_blocks_stays_unknown(tmp_path: Path):
    """`ModuleList(blocks)` with the caller's blocks, then one appended: iterating it does not run the appended
    block alone. The caller's first block has no ReLU, so torch runs clean; reading the list as the appended block
    only would report the first iteration's output."""
    text = PROGRAM.replace("IMPORT", TORCH_IMPORT).replace("ADD", "+= x").replace(
        "    def __init__(self, ch=4, repeat=2):", "    def __init__(self, blocks, ch=4):").replace(
        "        self.stages = ModuleList()\n        for i in range(repeat):\n            self.stages.append(BLOCK)",
        "        self.stages = ModuleList(blocks)\n        self.stages.append(Stage(ch))")
    path = tmp_path / "neck.py"
    path.write_text(text + DRIVER.replace("Neck()", "Neck([Stage(4, act=False)])"))
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert analyze(text, "neck.py", Config()).findings == []
