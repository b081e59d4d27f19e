"""`slice(...)` objects as the walk knows them: an index held in a name (`keep_inds = slice(0, k)`) slices as
`x[a:b]` does (syntax.is_basic_index)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(unsafe_hash=True)
class SliceVal:
    """What `slice(a, b)` makes: an index that slices, as `x[a:b]` does (basic indexing: a view), whatever the name
    that holds it says (`keep_inds = slice(0, n)`)."""
