"""`map(partial(helper, arg), pieces)` calls the helper on each piece, as `map(lambda t: helper(arg, t), pieces)`
does: a head split of a `chunk` piece stays a view of it. (An example under rules/examples may import only torch,
numpy and einops, so these programs live here; each is also run under torch.)"""

from __future__ import annotations

import pytest

from gradguard.analysis.checker import check_source
from gradguard.config import Config

PROGRAM = '''from functools import partial

import torch


def split_heads(heads, t):
    return t.view(t.shape[0], heads, -1)


torch.manual_seed(0)
proj = torch.randn(3, 8, requires_grad=True)
x = torch.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
h = x @ proj
q, k = map(partial(split_heads, 2), h.chunk(2, dim=-1))
{before}k[:, 0] = 0
scores = (q * k).sum(-1)
scores.sum().backward()
'''
WRITE_LINE = 15


def loud(source: str) -> list:
    result = check_source(source, "heads.py", Config(), time_limit=None)
    return [(f.code, f.span.line) for f in result.findings if f.severity.name in ("ERROR", "WARNING")]


def torch_error(source: str) -> str:
    pytest.importorskip("torch")
    try:
        exec(compile(source, "heads.py", "exec"), {"__name__": "heads"})
    except RuntimeError as error:
        return str(error)
    return ""


def test_write_into_a_chunk_piece_split_by_map_of_partial():
    source = PROGRAM.format(before="")
    assert "output of a function that returns multiple views" in torch_error(source)
    assert loud(source) == [("GG301", WRITE_LINE)]


def test_clone_before_the_write_stays_quiet():
    source = PROGRAM.format(before="k = k.clone()\n")
    assert torch_error(source) == ""
    assert loud(source) == []
