"""Shortcuts the walk takes for speed must give what the plain computation gives: tensors.history_union is `a | b`
(without the copy when one side holds the other), calls.defined_in is `target in ast.walk(outer)` (from a list of
the definitions under `outer`, made once), values.join_tobj unions the histories of what it joins."""

import ast
import itertools
import random
from pathlib import Path

from gradguard.analysis.calls import defined_in
from gradguard.analysis.values import history_union
from gradguard.analysis.values import TObj, Tri, join_tobj

EXAMPLES = sorted((Path(__file__).parent.parent / "server" / "gradguard" / "rules" / "examples").rglob("*.py"))


def test_history_union_is_the_union():
    rng = random.Random(7)
    pool = list(range(60))
    sets = [frozenset(), frozenset(pool)] + [frozenset(rng.sample(pool, rng.randint(0, 30))) for _ in range(40)]
    sets += [s - {min(s)} for s in sets if s]  # subsets of each other, either way round
    for a, b in itertools.product(sets, repeat=2):
        got = history_union(a, b)
        assert got == a | b
        assert isinstance(got, frozenset)
    same = frozenset(pool)
    assert history_union(same, same) is same
    assert history_union(same, frozenset(pool[:5])) is same  # held already: no copy
    assert history_union(frozenset(pool[:5]), same) is same


def test_join_tobj_unions_histories():
    a, b, c = (frozenset({i, i + 1}) for i in (0, 1, 5))
    for x, y in [(a, b), (a, a), (a | b, a), (a, a | b), (a, c), (frozenset(), c)]:
        joined = join_tobj(TObj(1, 1, Tri.YES, history=x), TObj(1, 1, Tri.NO, history=y))
        assert joined.history == x | y


def test_defined_in_is_membership_in_the_walk():
    checked = 0
    for path in EXAMPLES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        definitions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
        known: dict = {}
        others = [n for n in ast.walk(tree) if isinstance(n, ast.Call)][:3]  # not a definition: walked as before
        for outer in definitions:
            for target in definitions + others:
                assert defined_in(target, outer, known) == (target in ast.walk(outer))
                checked += 1
    assert checked > 5000


def test_defined_in_notices_another_node_at_the_same_id():
    # the cache is keyed by id(): a node that took a freed node's id must not get the old node's answer
    known: dict = {}
    inner_src = "def outer():\n    def inner():\n        pass\n"
    tree = ast.parse(inner_src)
    outer, inner = tree.body[0], tree.body[0].body[0]
    assert defined_in(inner, outer, known)
    known[id(outer)] = (object(), frozenset())  # as if another node had had this id
    assert defined_in(inner, outer, known)
