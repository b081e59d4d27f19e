"""Tensors a call returns inside a record (a `@dataclass` instance or a plain object, as model outputs are):
the caller reads them from its fields, so they, and what saved them, outlive the call. Each program is analysed
and run under torch: gradguard reports exactly where torch raises, and nothing where torch runs clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import dataclasses

import torch
import torch.nn as nn


@dataclasses.dataclass
class HeadOutput:
    logits: torch.Tensor
    probs: torch.Tensor = None


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        logits = self.fc(x)
        return HeadOutput(logits, torch.sigmoid(logits))


torch.manual_seed(0)
head = Head()
out = head(torch.randn(2, 4))
CLAMP
loss = probs.log().sum()
loss.backward()
print("ok")
'''
IN_PLACE = "probs = out.probs.clamp_(0.01, 0.99)"
OUT_OF_PLACE = "probs = out.probs.clamp(0.01, 0.99)"


def analyse_and_run(tmp_path: Path, text: str):
    path = tmp_path / "program.py"
    path.write_text(text)
    found = analyze(text, str(path), Config())
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    return [(f.code, f.span.line, f.severity.value) for f in found.findings], ran


@pytest.mark.parametrize("record", ["dataclass", "plain class"])
def test_a_field_changed_in_place_after_the_op_that_made_it_saved_it(tmp_path: Path, record: str):
    text = PROGRAM.replace("CLAMP", IN_PLACE)
    if record == "plain class":
        text = text.replace("@dataclasses.dataclass\nclass HeadOutput:\n    logits: torch.Tensor\n    probs: "
                            "torch.Tensor = None\n", "class HeadOutput:\n    def __init__(self, logits, probs=None):"
                            "\n        self.logits = logits\n        self.probs = probs\n")
    found, ran = analyse_and_run(tmp_path, text)
    assert "modified by an inplace operation" in ran.stderr
    line = text.splitlines().index(IN_PLACE) + 1
    assert found == [("GG201", line, "error")]


def test_a_field_changed_out_of_place_is_quiet(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, PROGRAM.replace("CLAMP", OUT_OF_PLACE))
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found == []
