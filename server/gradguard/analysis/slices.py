"""`slice(...)` objects as the walk knows them: an index held in a name (`keep_inds = slice(0, k)`) slices as
`x[a:b]` does (syntax.is_basic_index)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .values import Number, Seq


@dataclass(unsafe_hash=True)
class SliceVal:
    """What `slice(a, b)` makes: an index that slices, as `x[a:b]` does (basic indexing: a view), whatever the name
    that holds it says (`keep_inds = slice(0, n)`)."""


def keeps_contiguous(node: ast.AST, value) -> bool:
    """A basic index that leaves a contiguous tensor contiguous: ints (or None) first, then at most one slice without
    a step, then only full slices: `x[i]`, `x[a:b]`, `x[slice(*bounds)]`, `x[i, a:b, :]`. torch then gives a
    view with the base's strides (`x[1:3].is_contiguous()`), so `x[a:b].reshape(d)` is a view of `x` too, not a
    copy. `x[:, a:b]`, `x[::2]`, `x[..., i]` and an index the walk does not know are not."""
    if isinstance(node, ast.Tuple):
        if not isinstance(value, Seq) or len(value.items) != len(node.elts):
            return False
        pairs = list(zip(node.elts, value.items))
    else:
        pairs = [(node, value)]
    seen_slice = False
    for element, item in pairs:
        if isinstance(element, ast.Slice):
            full = element.lower is None and element.upper is None
            if element.step is not None or seen_slice and not full:
                return False
            seen_slice = True  # `x[:, a:b]` cuts every row: only full slices may follow one
            continue
        if isinstance(item, SliceVal):  # `slice(*bounds)`: a start and a stop, as it is written to be
            if seen_slice:
                return False
            seen_slice = True
            continue
        if seen_slice:  # an int after a slice: `x[1:3, 0]` steps over memory
            return False
        if not (isinstance(item, Number) or isinstance(element, ast.Constant) and element.value is None):
            return False
    return True
