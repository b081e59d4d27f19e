"""`# noqa` on the line that builds an `inplace=True` module suppresses the finding reported at its call."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

SOURCE = """import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.ReLU(inplace=True){comment}

    def forward(self, x):
        h = torch.sigmoid(self.fc(x))
        return self.act(h)


model = Block()
out = model(torch.randn(2, 4))
out.sum().backward()
"""


def codes(comment: str) -> list[tuple[str, int]]:
    found = analyze(SOURCE.format(comment=comment), "block.py", Config()).findings
    return [(f.code, f.span.line) for f in found]


def test_reported_at_the_call_in_forward():
    assert codes("") == [("GG201", 13)]


@pytest.mark.parametrize("comment", ["  # noqa: GG201", "  # noqa: GG2", "  # noqa"])
def test_noqa_on_the_definition_line_suppresses_it(comment):
    assert codes(comment) == []


def test_noqa_for_another_code_does_not():
    assert codes("  # noqa: GG101") == [("GG201", 13)]
