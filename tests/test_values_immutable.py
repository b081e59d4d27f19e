"""The analysis's abstract values (analysis/values.py) are immutable: a changed tensor is a new TObj made by
`values.evolve`, and states share the old one. They are plain (not frozen) dataclasses for speed, so this test
walks real code with every value class guarded: assigning a field of an existing value fails the test."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gradguard.analysis import values
from gradguard.config import Config
from gradguard.engine import analyze

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = sorted((ROOT / "server" / "gradguard" / "rules" / "examples").rglob("*.py")) + \
    sorted((ROOT / "tests" / "recall").glob("*.py")) + sorted((ROOT / "examples").glob("*.py"))


def value_classes():
    return [c for c in vars(values).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
            and c.__module__ == values.__name__ and c is not values.State]


def refuse_changes(self, name, value):
    if name in self.__dict__:
        raise AssertionError(f"{type(self).__name__}.{name} assigned on an existing value")
    object.__setattr__(self, name, value)


@pytest.fixture
def guarded(monkeypatch):
    for cls in value_classes():
        monkeypatch.setattr(cls, "__setattr__", refuse_changes)


def test_the_guard_refuses_a_change_and_evolve_makes_a_copy(guarded):
    obj = values.TObj(1, 1, values.Tri.NO)
    with pytest.raises(AssertionError, match="TObj.history"):
        obj.history = frozenset({1})
    changed = values.evolve(obj, requires_grad=values.Tri.YES)
    assert (obj.requires_grad, changed.requires_grad, changed.storage) == (values.Tri.NO, values.Tri.YES, 1)


def test_the_walk_never_changes_a_value(guarded):
    assert {"TObj", "Save", "Mutation", "Ref", "ModuleVal"} <= {c.__name__ for c in value_classes()}
    assert len(PROGRAMS) > 100
    found = 0
    for path in PROGRAMS:
        result = analyze(path.read_text(encoding="utf-8"), str(path), Config(strict=True))
        found += len(result.findings)
    assert found > 100  # the walk went through the events, not around them
