"""A module chosen by a flag the file does not fix (`nn.Tanh() if flag else nn.Sigmoid()`) is modelled when both
choices save the same tensors for backward (facts from torch: tanh and sigmoid save their output); a choice where
one side saves nothing (nn.Identity) or something else (GELU saves its input) stays unknown: no finding."""

from __future__ import annotations

import pytest

from gradguard.analysis.checker import check_source
from gradguard.config import Config

TEMPLATE = '''import torch
from torch import nn


class Gate(nn.Module):
    def __init__(self, dim, flag=False):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = {choice}

    def forward(self, x):
        g = self.act(self.fc(x))
        g *= x
        return g
'''


def found(choice: str) -> list:
    result = check_source(TEMPLATE.format(choice=choice), "gate.py", Config(), time_limit=None)
    return [(f.code, f.span.line) for f in result.findings if f.severity.name in ("ERROR", "WARNING")]


@pytest.mark.parametrize("choice", ["nn.Tanh() if flag else nn.Sigmoid()", "nn.Softmax(dim=-1) if flag else nn.Sigmoid()",
                                    "nn.ReLU() if flag else nn.Tanh()"])
def test_either_choice_saves_its_output(choice):
    assert found(choice) == [("GG201", 13)]


@pytest.mark.parametrize("choice", ["nn.Sigmoid() if flag else nn.Identity()", "nn.GELU() if flag else nn.ReLU()",
                                    "nn.ReLU(inplace=True) if flag else nn.ReLU()"])
def test_a_choice_that_may_save_nothing_or_something_else_stays_unknown(choice):
    assert found(choice) == []
