"""`einops.rearrange` / `repeat` / `reduce`: a view of the input, the input itself, or a new tensor, by pattern.

einops runs `reshape -> permute -> reshape` on torch tensors. Splitting an axis and permuting always give views;
merging axes gives a view only when their strides allow it: the merged axes are adjacent, in order, and memory
has no gap between them. A gap sits before an axis that a `chunk`/`split` cut (the pieces of `(b, 3*d)` cut along
the last axis keep the row stride `3*d`), which is what a tensor's `gaps` record; `None` means the layout is not
known, and then a merge is taken to copy (changing a copy in place is harmless, so that is the quiet answer).
"""

from __future__ import annotations

import ast

from .values import ConstStr, Number, Ref, Seq, State, UNKNOWN

EINOPS_FUNCTIONS = {"einops.rearrange": "rearrange", "einops.repeat": "repeat", "einops.reduce": "reduce"}
REDUCTION_OPS = {"sum": "sum", "mean": "mean", "max": "amax", "min": "amin", "prod": "prod"}
ELLIPSIS = "..."


def parse_side(text: str) -> list[list[str]] | None:
    """'b (h d) x () 1' -> [['b'], ['h', 'd'], ['x'], [], []]; None if it is not a pattern we read."""
    groups: list[list[str]] = []
    current: list[str] | None = None
    for token in text.replace("(", " ( ").replace(")", " ) ").split():
        if token == "(" and current is None:
            current = []
        elif token == ")" and current is not None:
            groups.append(current)
            current = None
        elif token == "1":  # an axis of size 1
            if current is None:
                groups.append([])
        elif token.isidentifier() or token == ELLIPSIS:
            if current is None:
                groups.append([token])
            else:
                current.append(token)
        else:
            return None
    return groups if current is None else None


def parse_pattern(pattern: str) -> tuple[list[list[str]], list[list[str]]] | None:
    if pattern.count("->") != 1:
        return None
    left, right = (parse_side(side) for side in pattern.split("->"))
    if left is None or right is None:
        return None
    return left, right


def layout_after(left: list[list[str]], right: list[list[str]], gaps: frozenset | None,
                 new_axes: frozenset = frozenset()) -> tuple[str, frozenset | None]:
    """What `rearrange`/`repeat` gives for an input whose memory gaps are `gaps`:
    ("same", gaps) the input itself, ("view", gaps) a view, ("copy", frozenset()) a new contiguous tensor;
    ("merge", frozenset()) the batch axis merged with axes that are not next to it (`(b h)`): a new tensor, but a
    view for a batch of one."""
    rank = len(left)
    if any(ELLIPSIS in group for group in left) and gaps != frozenset():
        gaps = None  # the ellipsis stands for axes whose gaps we cannot place
    axes: list[str] = []  # elementary input axes, in memory order
    gap_before: set[str] = set()
    for i, group in enumerate(left):
        if group and gaps is not None and (i in gaps or i - rank in gaps) and i > 0:
            gap_before.add(group[0])
        axes.extend(group)
    position = {name: i for i, name in enumerate(axes)}
    order = [name for group in right for name in group if name not in new_axes]
    permuted = order != axes

    def contiguous(members: list[str]) -> bool:
        first = position.get(members[0])
        return first is not None and all(position.get(m) == first + k for k, m in enumerate(members)) and \
            not any(m in gap_before for m in members[1:])

    merged = batch_merge = False
    for group in right:
        members = [name for name in group if name not in new_axes]
        if len(group) < 2:
            continue
        merged = True
        if len(members) != len(group):
            return "copy", frozenset()  # a repeated axis merged with others: reshape copies the expanded memory
        if gaps is None:
            return "copy", frozenset()
        if not contiguous(members):
            if members[0] == axes[0] and contiguous(members[1:]):
                batch_merge = True  # `(b h)`: for a batch of one, the batch axis drops out and the rest is a view
                continue
            return "copy", frozenset()
    if batch_merge:
        return "merge", frozenset()
    split = any(len(group) != 1 for group in left)
    if not (split or permuted or merged or new_axes) and len(left) == len(right):
        return "same", gaps
    return "view", frozenset() if not permuted and gaps == frozenset() else None


class EinopsCalls:
    """The einops functions, for the walk (a mixin of the Interpreter)."""

    def call_einops(self, name: str, args, kwargs, node: ast.Call, state: State):
        tensor = args[0] if args else kwargs.get("tensor", UNKNOWN)
        pattern = args[1] if len(args) > 1 else kwargs.get("pattern")
        if isinstance(tensor, Seq):  # a list of tensors is stacked first: a new tensor
            return self.unknown_call(list(args) + list(kwargs.values()), kwargs, node, state)
        if not isinstance(tensor, Ref):
            return self.unknown_call(list(args) + list(kwargs.values()), {}, node, state)
        parsed = parse_pattern(pattern.value) if isinstance(pattern, ConstStr) else None
        if name == "reduce":
            reduction = args[2] if len(args) > 2 else kwargs.get("reduction")
            op = REDUCTION_OPS.get(reduction.value) if isinstance(reduction, ConstStr) else None
            if op is None:
                return self.derive(tensor, state, node, detached=False, same_storage=False)
            return self.apply_op(op, "torch", {"input": tensor, "dim": Number()}, node, state)
        if parsed is None:
            return self.derive(tensor, state, node, detached=False, same_storage=False)
        left, right = parsed
        new_axes = frozenset()
        if name == "repeat":
            known = {a for g in left for a in g}
            new_axes = frozenset(a for g in right for a in g if a not in known)
        gaps = self.layout_of(tensor, state)
        kind, new_gaps = layout_after(left, right, gaps, new_axes)
        if kind == "same":
            return tensor
        if kind == "merge" and all(state.obj(o).view_kind == "multi" for o in tensor.objs):
            # a `chunk` piece whose axes are merged across the cut: a copy, but a view for a batch of one, which
            # changing in place then raises (the same maybe as `reshape` of a piece, calls.apply_fact)
            return self.make_view(tensor, node, state, name, maybe_copy=name)
        if kind in ("copy", "merge"):
            return self.derive(tensor, state, node, detached=False, same_storage=False)
        return self.make_view(tensor, node, state, "expand" if new_axes else name, gaps=new_gaps)

    def layout_of(self, ref: Ref, state: State) -> frozenset | None:
        layouts = {state.obj(o).gaps for o in ref.objs}
        return layouts.pop() if len(layouts) == 1 else None
