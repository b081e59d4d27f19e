"""A `functools.partial` of a function of the file, stored on the module in `__init__` and called through that
attribute in `forward` (`self.compute_cis = partial(compute_mixed_cis, num_heads=h)`), runs the function as the
direct call does: what requires grad in it (a learned parameter passed in) still does in what it returns. (An
example under rules/examples may import only torch, numpy and einops, so these programs live here; each is also
run under torch.)"""

from __future__ import annotations

import pytest

from gradguard.analysis.checker import check_source
from gradguard.config import Config

PROGRAM = '''from functools import partial

import torch
import torch.nn as nn


def scaled_angles(freqs, positions, heads):
    angles = (positions.unsqueeze(-1) * freqs).view(positions.shape[0], heads, -1)
    return angles.cos()


class Rotary(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.qkv = nn.Linear(dim, dim * 3)
        self.angles = CALLABLE
        self.freqs = nn.Parameter(torch.randn(dim))
        self.register_buffer("positions", torch.arange(4.0))

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.clone()
        scale = self.angles(self.freqs, self.positions).flatten(1)
        WRITE
        return (q @ k.transpose(-2, -1)).sum()


torch.manual_seed(0)
Rotary(4, 2)(torch.randn(4, 4)).backward()
'''
WRITE_LINE = 24
BAD = "q[1:] = q[1:] * scale[1:]"  # mul saves the slice of q (scale requires grad), then the write changes it
GOOD = "q = torch.cat((q[:1], q[1:] * scale[1:]))"


def loud(source: str) -> list:
    result = check_source(source, "rotary.py", Config(), time_limit=None)
    return [(f.code, f.span.line, f.severity.name) for f in result.findings
            if f.severity.name in ("ERROR", "WARNING")]


def torch_error(source: str) -> str:
    pytest.importorskip("torch")
    try:
        exec(compile(source, "rotary.py", "exec"), {"__name__": "rotary"})
    except RuntimeError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("callable_", ["partial(scaled_angles, heads=2)", "scaled_angles"])
def test_write_into_what_a_partial_attribute_made_a_product_save(callable_):
    source = PROGRAM.replace("CALLABLE", callable_).replace("WRITE", BAD)
    if callable_ == "scaled_angles":  # the function itself stored: called with heads too
        source = source.replace("self.angles(self.freqs, self.positions)", "self.angles(self.freqs, self.positions, 2)")
    assert "modified by an inplace operation" in torch_error(source)
    assert loud(source) == [("GG201", WRITE_LINE, "ERROR")]


def test_partial_attribute_with_the_product_joined_stays_quiet():
    source = PROGRAM.replace("CALLABLE", "partial(scaled_angles, heads=2)").replace("WRITE", GOOD)
    assert torch_error(source) == ""
    assert loud(source) == []
