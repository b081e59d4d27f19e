"""The hover quotes torch's own message: the tensor's shape when the analysis knows it, torch 2.13's hint."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.lsp.features import hover_markdown
from gradguard.lsp.text import LineIndex

torch = pytest.importorskip("torch")

KNOWN = """import torch

x = torch.randn(2, 3, requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
y.sum().backward()
"""
UNKNOWN = """import sys

import torch

x = torch.randn(len(sys.argv) + 3, requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
y.sum().backward()
"""


def torch_error(source: str) -> str:
    with pytest.raises(RuntimeError) as info:
        exec(compile(source, "<case>", "exec"), {})
    return str(info.value)


def hover(source: str) -> str:
    (finding,) = [f for f in analyze(source, "case.py", Config()).findings if f.code == "GG201"]
    return hover_markdown(finding, LineIndex(source))


def test_shape_known_is_quoted_as_torch_prints_it_with_its_hint():
    said = torch_error(KNOWN)
    text = hover(KNOWN)
    assert "[torch.FloatTensor [2, 3]]" in said and "[torch.FloatTensor [2, 3]]" in text
    hint = said[said.index("Hint:"):]
    assert hint in text, (hint, text)


def test_shape_unknown_is_left_out():
    said = torch_error(UNKNOWN)
    text = hover(UNKNOWN)
    assert "[torch.FloatTensor [" in said
    assert "torch.FloatTensor" not in text
    assert said[said.index("Hint:"):] in text
