"""A loop's two passes stand for its first iteration and any later one: the counter of `range(n)`/`enumerate` is 0,
then past 0 (`if i == 0:` is decided in each; the examples GG201/*first_iteration* show it under torch). A parameter
annotated `int`/`float` is a number, not a tensor."""

from __future__ import annotations

import ast
import itertools
import operator
import subprocess
import sys

import pytest

from gradguard.analysis.expressions import BOUNDED
from gradguard.config import Config
from gradguard.engine import analyze

OPS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
       ast.GtE: operator.ge}


@pytest.mark.parametrize("op", list(OPS), ids=[op.__name__ for op in OPS])
def test_a_decided_comparison_holds_for_every_value_in_the_bounds(op):
    for (lo, hi), k in itertools.product([(0, 0), (1, None), (2, 5)], range(-1, 8)):
        answer = BOUNDED[op](lo, hi, k)
        values = range(lo, (hi if hi is not None else lo + 20) + 1)
        truths = {OPS[op](v, k) for v in values}
        if answer is not None:
            assert truths == {answer}, (lo, hi, k)
        elif hi is not None:
            assert len(truths) == 2, f"{lo}..{hi} {op.__name__} {k} is decided, but BOUNDED left it open"


BLEND = '''
import torch


def blend_v(a: torch.Tensor, b: torch.Tensor, blend_extent: int) -> torch.Tensor:
    blend_extent = min(a.shape[2], b.shape[2], blend_extent)
    for y in range(blend_extent):
        b[:, :, y, :] = a[:, :, -blend_extent + y, :] * (1 - y / blend_extent) + b[:, :, y, :] * (y / blend_extent)
    return b


if __name__ == "__main__":
    a = torch.randn(1, 2, 4, 4, requires_grad=True)
    b = torch.randn(1, 2, 4, 4, requires_grad=True)
    out = blend_v(a, b * 1, 3)
    out.sum().backward()
    print(round(b.grad.sum().item(), 4))
'''


def test_a_parameter_annotated_int_is_a_number(tmp_path):
    """diffusers' tile blending: `b[:, :, y, :] * (y / blend_extent)` multiplies by a Python float, which saves no
    tensor; with `blend_extent` taken as a tensor, the next row's write looked like a change of a saved input."""
    path = tmp_path / "blend.py"
    path.write_text(BLEND)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = analyze(BLEND, "blend.py", Config(strict=True))
    assert result.error is None
    assert [(f.code, f.span.line) for f in result.findings] == []
    # the same code without the annotation: a tensor `blend_extent` would make the mul save `b`'s row
    untyped = analyze(BLEND.replace("blend_extent: int", "blend_extent"), "blend.py", Config(strict=True))
    assert [f.code for f in untyped.findings] == ["GG201"]


LAST_ITERATION = '''
import torch
import torch.nn as nn


def losses(x):
    model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2))
    return model(x).mean(0)


def last_frees(x):
    loss = losses(x)
    for idx, cur in enumerate(loss):
        if idx == len(loss) - 1:
            cur.backward()
        else:
            cur.backward(retain_graph=True)


def last_frees_counted_from_one(x):
    loss = losses(x)
    for idx, cur in enumerate(loss):
        if idx + 1 != len(loss):
            cur.backward(retain_graph=True)
        else:
            cur.backward()


def first_frees(x):
    loss = losses(x)
    for idx, cur in enumerate(loss):
        if idx == len(loss) - 1:
            cur.backward(retain_graph=True)  # raises
        else:
            cur.backward()


def backward_after_the_loop(x):
    loss = losses(x)
    for i in range(len(loss)):
        if i < len(loss) - 1:
            loss[i].backward(retain_graph=True)
        else:
            loss[i].backward()
    loss.sum().backward()  # raises


if __name__ == "__main__":
    import sys
    for name in sys.argv[1:]:
        torch.manual_seed(0)
        try:
            globals()[name](torch.randn(4, 3))
            print(name, "clean")
        except RuntimeError as exc:
            print(name, "raises", "second time" in str(exc))
'''


def test_what_only_the_last_iteration_frees_reaches_no_later_iteration(tmp_path):
    """Greedy InfoMax's `if idx == len(loss) - 1: backward() else: backward(retain_graph=True)`: the graph is freed
    when no iteration follows (GG501 had been reported at the retaining backward()); a graph freed on the other
    iterations, or gone through again after the loop, is still found."""
    path = tmp_path / "last.py"
    path.write_text(LAST_ITERATION)
    names = ["last_frees", "last_frees_counted_from_one", "first_frees", "backward_after_the_loop"]
    run = subprocess.run([sys.executable, str(path)] + names, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:4] == ["last_frees clean", "last_frees_counted_from_one clean",
                                          "first_frees raises True", "backward_after_the_loop raises True"]
    result = analyze(LAST_ITERATION, "last.py", Config(strict=True))
    assert result.error is None
    lines = LAST_ITERATION.splitlines()
    raising = sorted(n for n, text in enumerate(lines, 1) if text.endswith("# raises"))
    assert sorted((f.code, f.span.line) for f in result.findings) == [("GG501", n) for n in raising]


REBOUND = '''
import torch
import torch.nn as nn


def run(data, losstype):
    torch.manual_seed(0)
    gen = nn.Linear(3, 3)
    disc = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    for epoch in range(2):
        for i, batch in enumerate(data):
            fake = gen(batch)
            if losstype == "gan":
                disc_loss = disc(fake.detach()).mean() - disc(batch).mean()
            elif losstype == "fgan":
                disc_loss = torch.exp(disc(fake.detach()) - 1).mean() - disc(batch).mean()
            disc_loss.backward()


def accumulate_from_the_second(data):
    torch.manual_seed(0)
    disc = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    for i, batch in enumerate(data):
        if i > 0:
            loss = loss + disc(batch).mean()
        else:
            loss = disc(batch).mean()
        loss.backward()  # raises


if __name__ == "__main__":
    data = [torch.randn(5, 3) for _ in range(3)]
    run(data, "gan")
    try:
        accumulate_from_the_second(data)
    except RuntimeError as exc:
        print("raises", "second time" in str(exc))
'''


def test_a_name_an_unchanging_test_assigns_is_not_carried(tmp_path):
    """CausalDiscoveryToolbox's SAM: `disc_loss` assigned under `if losstype == "gan": ... elif losstype == "fgan":`
    (no else): every iteration assigns it anew, or the first reads it unbound. A name the loop's own counter
    decides (`loss = loss + ...` from the second iteration on) is still carried."""
    path = tmp_path / "rebound.py"
    path.write_text(REBOUND)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "raises True"
    result = analyze(REBOUND, "rebound.py", Config(strict=True))
    raising = [n for n, text in enumerate(REBOUND.splitlines(), 1) if text.endswith("# raises")]
    assert [(f.code, f.span.line) for f in result.findings] == [("GG502", raising[0])]
