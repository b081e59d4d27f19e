"""Shortcuts that read less of a file must give the answers of reading all of it: training.classes_called_here and
training_roles read a function's calls only when its text names what they look for; training.calls_in skips
names and constants."""

import ast
from pathlib import Path

import pytest

from gradguard.analysis.training import classes_called_here
from gradguard.findings import source_lines

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").rglob("*.py"))

PROGRAMS = {
    "decorator": '''
class Hook:
    def __init__(self, f): self.f = f
class Net:
    @Hook
    def forward(self, x): return x
    @staticmethod
    @Hook(
    )
    def other(): pass
''',
    "nested": '''
class Block:
    pass
class Net:
    def __init__(self):
        def make():
            return Block()
        self.b = make()
''',
    "non_ascii": '''
class Ｂlock:
    pass
class Net:
    def __init__(self):
        self.b = Ｂlock()
''',
    "registered": '''
class Block:
    pass
class Net:
    def __init__(self):
        self.add_module("b", Block())
        self.c = Block()
''',
}


def both(source: str) -> tuple[frozenset, frozenset]:
    every_class = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ClassDef)]
    full = classes_called_here(every_class)
    for cls in every_class:  # start again without what the first answer kept on the nodes
        cls.__dict__.pop("_gg_built", None)
        for node in ast.walk(cls):
            node.__dict__.pop("_gg_training", None)
    return full, classes_called_here(every_class, source_lines(source))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_reading_only_the_methods_that_name_a_class_changes_nothing(name):
    full, filtered = both(PROGRAMS[name])
    assert full == filtered
    assert full  # each program calls a class of its own file


def test_the_same_answer_on_every_example():
    assert EXAMPLES
    for path in EXAMPLES:
        source = path.read_text(encoding="utf-8")
        full, filtered = both(source)
        assert full == filtered, path


def test_calls_in_finds_every_call_that_a_walk_of_every_node_finds():
    from gradguard.analysis.training import calls_in
    from gradguard.pyparse import nodes_under

    sources = [p.read_text(encoding="utf-8") for p in EXAMPLES] + [
        "def f(x: g() = h(), *, y=k[m()]):\n    return [n(i) for i in o(p())] + q.r(s)(t)\n",
        "import a\nclass C(base(1), metaclass=M()):\n    z = lambda: u()\n    w = v().attr\n",
    ]
    for source in sources:
        tree = ast.parse(source)
        for scope in [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]:
            every = [n for n in nodes_under(scope) if isinstance(n, ast.Call)]
            found = calls_in(scope)
            assert len(found) == len({id(n) for n in found})
            assert {id(n) for n in found} == {id(n) for n in every}


def test_training_roles_are_the_same_when_calls_are_read_only_where_the_text_names_them():
    from gradguard.analysis.context import FileInfo

    sources = [p.read_text(encoding="utf-8") for p in EXAMPLES] + [
        "def step(model, x):\n    loss = model(x).sum()\n    loss.backward()\n",
        "import torch.nn.functional as F\ndef objective(a, b):\n    return F.mse_loss(a, b)\n",
        "def helper(a):\n    def inner():\n        a.backward()\n    return inner\n",
    ]
    assert sum("backward" in s for s in sources) > 3
    for source in sources:
        full = FileInfo(ast.parse(source)).training_roles()
        filtered = FileInfo(ast.parse(source)).training_roles(source_lines(source))
        assert {(f.name, f.lineno, r) for f, r in full.items()} == {(f.name, f.lineno, r) for f, r in filtered.items()}
