"""A module chosen by a flag the file does not fix (`nn.Tanh() if flag else nn.Sigmoid()`) is modelled when both
choices save the same tensors for backward (facts from torch: tanh and sigmoid save their output); a choice where
one side saves nothing (nn.Identity) or something else (GELU saves its input) is one of its candidates
(analysis/built_choices.py): what torch raises with one of them is a warning that names it, and torch is run with
each setting. When the flag has a default that nothing in the file changes, the same holds: the user may pick either
setting, so both modules are candidates, not only the one the defaults build."""

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


def found(choice: str, template: str = TEMPLATE) -> list:
    result = check_source(template.format(choice=choice), "gate.py", Config(), time_limit=None)
    return [(f.code, f.span.line) for f in result.findings if f.severity.name in ("ERROR", "WARNING")]


REQUIRED_FLAG = TEMPLATE.replace("def __init__(self, dim, flag=False)", "def __init__(self, dim, flag)")


@pytest.mark.parametrize("choice", ["nn.Tanh() if flag else nn.Sigmoid()", "nn.Softmax(dim=-1) if flag else nn.Sigmoid()",
                                    "nn.ReLU() if flag else nn.Tanh()"])
def test_either_choice_saves_its_output(choice):
    assert found(choice) == [("GG201", 13)]


def torch_raises(source: str, flag: bool) -> bool:
    import torch

    names: dict = {}
    exec(compile(source, "gate.py", "exec"), names)
    torch.manual_seed(0)
    try:
        names["Gate"](4, flag)(torch.randn(2, 4)).sum().backward()
    except RuntimeError as exc:
        assert "modified by an inplace operation" in str(exc)
        return True
    return False


@pytest.mark.parametrize("choice, raises_with, named", [
    ("nn.Sigmoid() if flag else nn.Identity()", {True}, "a `Sigmoid`"),  # Identity: fc's output, which no op saved
    ("nn.GELU() if flag else nn.ReLU()", {False}, "a `ReLU`"),  # GELU keeps its input, not its output
    ("nn.ReLU(inplace=True) if flag else nn.ReLU()", {True, False}, "`ReLU`"),  # relu_ keeps its output too
])
def test_a_choice_that_may_save_nothing_or_something_else_is_a_warning_naming_the_candidate(choice, raises_with, named):
    source = REQUIRED_FLAG.format(choice=choice)
    assert {flag for flag in (True, False) if torch_raises(source, flag)} == raises_with
    result = check_source(source, "gate.py", Config(), time_limit=None)
    loud = [f for f in result.findings if f.severity.name in ("ERROR", "WARNING")]
    assert [(f.code, f.span.line, f.severity.name) for f in loud] == [("GG201", 13, "WARNING")]
    assert f"when `self.act` is {named}" in loud[0].message or f"when `self.act` is the {named}" in loud[0].message


@pytest.mark.parametrize("choice, named", [
    ("nn.Sigmoid() if flag else nn.Identity()", "a `Sigmoid`"),  # flag=True (not the default): Sigmoid saves
    ("nn.Identity() if flag else nn.Sigmoid()", "a `Sigmoid`"),  # flag=False, the default
    ("nn.GELU() if flag else nn.ReLU()", "a `ReLU`"),  # ReLU keeps its output
    ("nn.ReLU() if flag else nn.GELU()", "a `ReLU`"),  # GELU keeps its input, which `g *= x` does not change
])
def test_a_choice_by_a_default_flag_follows_both_settings(choice, named):
    """`flag=False` by default, and nothing in the file builds the module: either setting is the user's to pick, so
    both modules are candidates (not only the one the defaults build), and what torch raises with one of them is a
    warning that names it, whichever side the default takes."""
    source = TEMPLATE.format(choice=choice)
    assert len({flag for flag in (True, False) if torch_raises(source, flag)}) == 1
    result = check_source(source, "gate.py", Config(), time_limit=None)
    loud = [f for f in result.findings if f.severity.name in ("ERROR", "WARNING")]
    assert [(f.code, f.span.line, f.severity.name) for f in loud] == [("GG201", 13, "WARNING")]
    assert f"when `self.act` is {named}" in loud[0].message


# A torch function (or torch.nn class) kept on the module: from a table by name (HuggingFace's `ACT2FN`), by
# `getattr(torch, name)`, or as a `functools.partial`. A table's item by a key the file does not show stands for
# all of them only when every item saves the same tensors.
KEPT = '''import torch
import torch.nn.functional as F
from functools import partial
from torch import nn

ACT = {table}


class Gate(nn.Module):
    def __init__(self, dim, config, name="tanh"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = {pick}

    def forward(self, x):
        g = self.act(self.fc(x))
        g *= x
        return g
'''
KEPT_LINE = KEPT.splitlines().index("        g *= x") + 1
FUNCTIONS = '{"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}'


def found_kept(table: str, pick: str) -> list:
    result = check_source(KEPT.format(table=table, pick=pick), "gate.py", Config(), time_limit=None)
    return [(f.code, f.span.line) for f in result.findings if f.severity.name in ("ERROR", "WARNING")]


@pytest.mark.parametrize("table, pick", [
    (FUNCTIONS, "ACT[name]"),  # the constructor's default name
    (FUNCTIONS, "ACT[config.hidden_act]"),  # not known, but each of them keeps its output
    ('{"relu": nn.ReLU, "tanh": nn.Tanh}', "ACT[config.hidden_act]()"),
    (FUNCTIONS, "getattr(torch, name)"),
    (FUNCTIONS, 'getattr(nn, "Sigmoid")()'),
    (FUNCTIONS, "partial(F.softmax, dim=-1)"),
    (FUNCTIONS, "torch.sigmoid"),
])
def test_a_kept_function_that_saves_its_output(table, pick):
    assert found_kept(table, pick) == [("GG201", KEPT_LINE)]


@pytest.mark.parametrize("table, pick", [
    ('{"gelu": F.gelu, "tanh": torch.tanh}', "ACT[config.hidden_act]"),  # gelu keeps its input
    ('{"relu": nn.ReLU, "tanh": torch.tanh}', "ACT[config.hidden_act]"),  # a class or a function
    (FUNCTIONS, 'ACT["gelu"]'),  # not in the table: a KeyError
    (FUNCTIONS, 'getattr(nn, "GELU")()'),
    (FUNCTIONS, 'getattr(F, "silu")'),
    (FUNCTIONS, "getattr(config, name)"),
    (FUNCTIONS, "partial(F.gelu, approximate='tanh')"),
])
def test_a_kept_function_that_keeps_something_else_or_is_unknown_stays_quiet(table, pick):
    assert found_kept(table, pick) == []
