"""Later passes of a `for` over a sequence's items: another item, not the one the first pass took.

`for y in [conv(x) for conv in convs]`: each item is a tensor of its own, which the first pass's saves do not hold.
`self.layers = nn.ModuleList(); for ...: self.layers.append(KANLinear(...))`: one block the loop built stands for
all of them (modules.ModuleModeller.append_block), yet they are distinct modules with parameters of their own, so
`for layer in self.layers: layer.update_grid(x); x = layer(x)` changes, on a later pass, another block's parameters
than the ones the earlier pass's `layer(x)` saved (torch runs it clean, with correct gradients).
"""

from __future__ import annotations

from .values import ModuleVal, Ref, Seq, State, fresh_id


def note_alike(root, same_site: list, block: ModuleVal) -> None:
    """`block` joins no list: built alike at the same site as `same_site`, one of them stands for it. It is another
    module when the loop built it anew (not the same instance appended again)."""
    if any(m.id != block.id for m in same_site):
        root.stacked_blocks.update(m.id for m in same_site)


def attribute_params(walker, modules: set[int], state: State) -> set[int]:
    """The parameters the classes of `modules` made for themselves in `__init__` (`self.centers =
    nn.Parameter(...)`), as the walk's state holds them: what their `parameters()` give besides the torch layers'
    (an optimizer's step changes them in place)."""
    out = set()
    for mid in modules:
        for value in walker.ctx.instance_attrs.get(mid, {}).values():
            for oid in value.objs if isinstance(value, Ref) else ():
                obj = state.objs.get(oid)
                if obj is not None and obj.describe.startswith("parameter"):
                    out.add(oid)
    return out


def another_item(walker, item, state: State):
    """The item a later pass of a `for` binds, when the walk knows no list of the items one by one."""
    if isinstance(item, Seq):
        return Seq(tuple(another_item(walker, i, state) for i in item.items), item.mutable)
    root = walker.ctx.root
    if isinstance(item, ModuleVal) and item.id in root.stacked_blocks:
        for oid in attribute_params(walker, walker.owned_modules(item.id), state):  # each block's own
            state.update(oid, storage=fresh_id(), memory=fresh_id())
        return item
    if not isinstance(item, Ref) or not root.item_storages:
        return item
    for oid in item.objs:
        obj = state.obj(oid)
        if obj.storage in root.item_storages:
            state.update(oid, storage=fresh_id(), memory=fresh_id())
    return item
