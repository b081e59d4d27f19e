"""Module-level scripts walk in linear time: an `if` without `else` runs its body on the scope itself and joins
(or undoes) by the log of what it wrote, instead of copying every name and tensor of the scope; and the tensors
no name reaches are dropped between statements, not inside an `if` (where the join would bring them back).
Measured as work done (entries of the scope copied, tensors pruned), never as time: bench/long_scripts.py
prints the times."""

from __future__ import annotations

import pytest
from test_time_limit import long_module

from gradguard.analysis import statements, values
from gradguard.analysis.checker import check_source
from gradguard.config import Config


def work(blocks: int, monkeypatch) -> dict:
    done = {"copied": 0, "pruned": 0, "findings": None}
    copy, prune = values.State.copy, statements.StatementWalker.prune_unreachable

    def counting_copy(self, *args, **kwargs):
        done["copied"] += len(self.objs) + (0 if args or kwargs else len(self.env))
        return copy(self, *args, **kwargs)

    def counting_prune(self, state):
        done["pruned"] += len(state.objs)
        return prune(self, state)

    monkeypatch.setattr(values.State, "copy", counting_copy)
    monkeypatch.setattr(statements.StatementWalker, "prune_unreachable", counting_prune)
    done["findings"] = [(f.code, f.span.line) for f in check_source(long_module(blocks), "long.py", Config(),
                                                                      time_limit=None).findings]
    return done


def test_a_script_twice_as_long_costs_twice_the_work(monkeypatch):
    small, large = work(2000, monkeypatch), work(8000, monkeypatch)
    assert small["findings"] == large["findings"] == [("GG201", 5)]
    # quadratic would be 16x; a copy of the scope per `if` was, and so was pruning inside the `if`s
    assert large["copied"] <= 4.5 * small["copied"] + 1000
    assert large["pruned"] <= 4.5 * small["pruned"] + 1000


@pytest.mark.parametrize("body, expected", [
    # the body returns: after the `if`, `y` is the sigmoid output again, and its change is the error
    ("if flag:\n        y = y.clone()\n        return y\n    y.mul_(2)\n", [("GG201", 9)]),
    # the body rebinds `y` and goes on: either tensor may be changed; the saved one only on one path (strict)
    ("if flag:\n        y = y.clone()\n    y.mul_(2)\n", []),
    # the body changes nothing: the join is the state before the `if`
    ("if flag:\n        pass\n    y.mul_(2)\n", [("GG201", 8)]),
])
def test_an_if_without_else_joins_or_undoes_its_body(body, expected):
    source = ("import torch\n\n\ndef f(x, flag):\n    y = torch.sigmoid(x)\n    " + body + "    return y\n\n\n"
              "w = torch.ones(3, requires_grad=True)\nf(w, bool(w.sum() > 0)).sum().backward()\n")
    found = [(f.code, f.span.line) for f in check_source(source, "f.py", Config(), time_limit=None).findings
             if f.severity.name in ("ERROR", "WARNING")]
    assert found == expected
