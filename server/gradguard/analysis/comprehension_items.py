"""The items of a list a comprehension made, read by their indices: `losses = [F.mse_loss(c(obs), t) for c in
self.critics]`, then `losses[0].backward()` and `losses[1].backward()`.

The walk runs a comprehension's element once, so every item is the one tensor it made, with one graph: a backward()
of `losses[0]` freed the saves that `losses[1]` then seemed to go through again ('Trying to backward through the
graph a second time', an error on a correct SAC/TD3 critic update, which torch runs clean). In torch each item is
made by its own calls, with saves of its own; what the element used that was made before the comprehension
(`obs` of a shared encoder) is one graph for all of them, and freed by the first backward() for the others.

So an item read with a literal index gets its own copies of the saves that the element's walk made (their ids lie
in the range the walk of the element used), the same ones each time that index is read; the saves made before the
comprehension stay shared. An index the walk does not know (`losses[i]`) reads the element as before; a negative
one is another index than any non-negative one (`losses[-1]` is `losses[1]` of two items: not known here).
"""

from __future__ import annotations

from dataclasses import replace

from .values import Ref, evolve, fresh_id


def note_element(root, storages, first: int, last: int) -> None:
    """The element of a comprehension made tensors of these storages, and every id in (first, last]."""
    for storage in storages:
        root.item_ranges[storage] = (first, last)


def own_item(root, item, key: int, state):
    """`item` (a fresh copy of the element's tensor, statements.clone_template) as the item at index `key`."""
    if not isinstance(item, Ref) or not root.item_ranges:
        return item
    for oid in item.objs:
        obj = state.objs[oid]
        span = root.item_ranges.get(obj.storage)
        if span is None or not obj.history:
            continue
        first, last = span
        own = root.item_saves
        history = frozenset(
            save if not first < save.id <= last else
            own.setdefault((save.id, key), replace(save, id=fresh_id())) for save in obj.history)
        state.objs[oid] = evolve(obj, history=history)
    return item
