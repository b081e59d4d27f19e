"""Shortcuts the walk takes for speed must give what the plain computation gives: tensors.history_union is `a | b`
(without the copy when one side holds the other), values.join_tobj unions the histories of what it joins."""

import itertools
import random

from gradguard.analysis.tensors import history_union
from gradguard.analysis.values import TObj, Tri, join_tobj


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

