"""A function the walk does not go into (too long to follow) gives something unknown that may carry its arguments'
graph, unless it runs under `@torch.no_grad()`: then what it returns has none (stylegan2's `ada_augment.tune(pred)`
had made the next iteration's loss look like it went through a freed graph)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gradguard.analysis.context import MAX_HELPER_DEFINITION
from gradguard.engine import analyze

PADDING = "\n".join(f"    total = total + {i}" for i in range(MAX_HELPER_DEFINITION + 5))
PROGRAM = f'''import torch
import torch.nn as nn


DECORATOR
def score(x):
    total = 0
{PADDING}
    return x.sum() * 0 + x.sum()


def step(model, x):
    s = score(model(x))
    s.backward()  # raises when `score` runs under no_grad


if __name__ == "__main__":
    step(nn.Linear(3, 1), torch.randn(2, 3))
    print("ran")
'''


@pytest.mark.parametrize("decorator, raises", [("@torch.no_grad()", True), ("", False)])
def test_a_no_grad_function_too_long_to_follow_returns_no_graph(tmp_path, decorator, raises):
    text = PROGRAM.replace("DECORATOR", decorator)
    path = tmp_path / "score.py"
    path.write_text(text)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert (run.returncode != 0) == raises, run.stderr
    if raises:
        assert "does not require grad" in run.stderr
    backward_line = text.splitlines().index("    s.backward()  # raises when `score` runs under no_grad") + 1
    found = [(f.code, f.span.line) for f in analyze(text, "score.py").findings]
    assert found == ([("GG503", backward_line)] if raises else [])
