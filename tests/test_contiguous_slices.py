"""Which basic indexes leave a contiguous tensor contiguous, so that a `reshape` of the piece is a view of it.

`h[a:b]`, `h[i]`, `h[slice(*bounds)]`, `h[i, a:b, :]` keep the base's strides (rows cut from a contiguous tensor):
`reshape(-1)` of them is a view, and a write through it changes `h` (here the sigmoid output sigmoid saved:
backward() raises). `h[:, a:b]`, `h[::2]`, `h[a:b, i]` step over memory: `reshape(-1)` copies, `h` is left alone.
Each form is run under torch here and must be found exactly when torch raises.
"""

from __future__ import annotations

import pytest
import torch

from gradguard.config import Config
from gradguard.engine import analyze

SOURCE = """\
import torch


def f(x, w, a, b, bounds):
    h = torch.sigmoid(x @ w)
    h[INDEX].reshape(-1)[:] = 0.0
    return h.sum()
"""

# rows of a contiguous tensor (a view: torch raises), then pieces that step over memory (a copy: torch runs clean)
INDEXES = ["a:b", "2", "slice(*bounds)", "2, a:b", "2, a:b, :", ":", "a:b, :", "None, a:b", "-1",
           ":, a:b", "::2", "a:b, 2", "a:b, 1:2", "0:4:2", ":, :, 1:3"]


def torch_raises(index: str) -> bool:
    scope: dict = {}
    exec(compile(SOURCE.replace("INDEX", index), "f.py", "exec"), scope)
    x, w = torch.randn(4, 3, 5), torch.randn(5, 6, requires_grad=True)
    try:
        scope["f"](x, w, 1, 3, (1, 3)).backward()
    except RuntimeError as error:
        assert "modified by an inplace operation" in str(error)
        return True
    return False


@pytest.mark.parametrize("index", INDEXES)
def test_a_write_through_the_reshape_of_a_piece_is_found_when_torch_raises(index: str):
    result = analyze(SOURCE.replace("INDEX", index), "f.py", Config(strict=True))
    assert result.error is None, result.error
    found = [(f.code, f.span.line) for f in result.findings]
    assert found == ([("GG201", 6)] if torch_raises(index) else []), found


def test_the_forms_cover_both_sides():
    raised = {index: torch_raises(index) for index in INDEXES}
    assert any(raised.values()) and not all(raised.values()), raised
