"""Permuted views of a contiguous tensor, and whether a later `flatten`/`reshape` of one is a view or a copy.

`x.permute(0, 2, 3, 1)` of a contiguous `x` is a view whose dims sit in memory in the order (0, 2, 3, 1) of `x`'s:
a tensor's `order` (TObj.order). torch merges dims into one without copying exactly when their strides allow it,
which for such a view means the merged dims are next to each other in `x`'s memory and in the same order: a run
k, k+1, ... of `order` (dims 2 and 3 above, `x`'s H and W). `flatten(start, end)` names the dims it merges, so
its answer is known; a `reshape` gets sizes the walk cannot read (`B, H * W, -1`), and is a view only when those
sizes give each run of memory-adjacent dims one target dim. When the number of target sizes is the number of runs
and each size is a product of as many factors as its run has dims (`H * W` for the run of H and W; `-1` for any),
the code says it merges those runs: a view if the sizes are the dims they name, which the walk takes as a maybe
(TObj.maybe_copy, a warning that says so). Anything else stays what it was (a copy for a non-contiguous tensor).
"""

from __future__ import annotations

import ast

from .syntax import const_key
from .tensors import PERMUTED_RESHAPE
from .values import Number, Ref, State

ORDER_OPS = frozenset(("permute", "transpose", "t", "flatten", "reshape"))


def literal_int(node) -> int | None:
    """`2`, `-1`: an int written out (syntax.const_key, without its strings)."""
    value = const_key(node)
    return value if type(value) is int else None


def number(value) -> int | None:
    return value.value if isinstance(value, Number) and type(value.value) is int else None


def runs(order: tuple) -> list[list[int]]:
    """The dims in runs that sit next to each other in memory, in order: (0, 2, 3, 1) -> [[0], [1, 2], [3]]."""
    out = [[0]]
    for k in range(1, len(order)):
        if order[k] == order[k - 1] + 1:
            out[-1].append(k)
        else:
            out.append([k])
    return out


def ranked(keys: list[int]) -> tuple:
    """(5, 2, 3) -> (2, 0, 1): each key's place among the keys."""
    places = {key: i for i, key in enumerate(sorted(keys))}
    return tuple(places[key] for key in keys)


def factor_count(node) -> int:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return factor_count(node.left) + factor_count(node.right)
    return 1


class PermutedLayouts:
    """`permute`/`transpose`/`t` of a contiguous tensor and `flatten`/`reshape` of the result, for the walk (a
    mixin of the Interpreter)."""

    def permuted_layout(self, name: str, ref: Ref, bound: dict, kwargs: dict, node, state: State):
        """The tensor `name` returns when the layout of `ref` decides it; None to leave the op to its facts."""
        objs = [state.obj(o) for o in ref.objs]
        orders = {o.order if o.order is not None else ("contiguous" if o.gaps == frozenset() else None)
                  for o in objs}
        if len(orders) != 1 or not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and
                                    node.func.attr == name):
            return None  # not the op's own call (`nn.Flatten()(x)` flattens from dim 1): left to the facts
        order = orders.pop()
        if order is None:
            return None
        if name in ("permute", "transpose", "t"):
            rank = len(order) if order != "contiguous" else len(objs[0].shape) if objs[0].shape is not None else None
            dims = self.permutation(name, rank, bound, kwargs, node)
            if dims is None:
                return None
            new = tuple(dims) if order == "contiguous" else tuple(order[d] for d in dims)
            return self.view_in_order(ref, new, name, node, state)
        if order == "contiguous":
            return None  # reshape/flatten of a contiguous tensor: their facts know it is a view
        if name == "flatten":
            return self.flattened(ref, order, bound, kwargs, node, state)
        return self.reshaped(ref, order, node, state)

    def permutation(self, name, rank, bound, kwargs, node) -> list[int] | None:
        """The dims of the result, as dims of the input: `permute(0, 2, 3, 1)` -> [0, 2, 3, 1]."""
        if name == "permute":
            args = self.size_arguments(node)
            dims = [literal_int(a) for a in args] if args is not None else []
            if rank is not None and len(dims) != rank or not dims or None in dims:
                return None
            rank = len(dims)
            dims = [d % rank if -rank <= d < rank else None for d in dims]
            return dims if sorted(d for d in dims if d is not None) == list(range(rank)) else None
        if rank is None or rank < 2:
            return None
        if name == "t":
            return [1, 0] if rank == 2 else None
        pair = [number(bound.get(p, kwargs.get(p))) for p in ("dim0", "dim1")]
        if None in pair or not all(-rank <= d < rank for d in pair):
            return None
        a, b = (d % rank for d in pair)
        dims = list(range(rank))
        dims[a], dims[b] = dims[b], dims[a]
        return dims

    def size_arguments(self, node: ast.Call) -> list | None:
        """The sizes or dims a `reshape`/`permute` call lists (`x.reshape(B, -1)`, `torch.reshape(x, (B, -1))`)."""
        args = list(node.args)
        if not isinstance(node.func, ast.Attribute) or self.ctx.imports.qualname(node.func):
            args = args[1:]  # the torch form: the tensor comes first
        if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
            args = list(args[0].elts)
        if node.keywords or any(isinstance(a, ast.Starred) for a in args):
            return None
        return args

    def view_in_order(self, ref: Ref, order: tuple, op: str, node, state: State) -> Ref:
        """A view whose dims sit in memory in `order`: contiguous when that is (0, 1, ...)."""
        identity = order == tuple(range(len(order)))
        view = self.make_view(ref, node, state, op, gaps=frozenset() if identity else None)
        if not identity:
            for oid in view.objs:
                state.update(oid, order=order)
        return view

    def flattened(self, ref: Ref, order: tuple, bound: dict, kwargs: dict, node, state: State):
        rank = len(order)
        start = number(bound.get("start_dim", kwargs.get("start_dim", Number(0))))
        end = number(bound.get("end_dim", kwargs.get("end_dim", Number(-1))))
        if start is None or end is None or not (-rank <= start < rank and -rank <= end < rank):
            return None
        start, end = start % rank, end % rank
        if start >= end:
            return None
        merged = order[start:end + 1]
        if merged != tuple(range(merged[0], merged[0] + len(merged))):
            # dims apart in memory: torch copies (`permute(0, 2, 1).flatten(1)`), a new contiguous tensor
            return self.derive(ref, state, node, detached=False, same_storage=False, describe="the output of `flatten`")
        return self.view_in_order(ref, ranked(list(order[:start + 1] + order[end + 1:])), "flatten", node, state)

    def reshaped(self, ref: Ref, order: tuple, node, state: State):
        sizes = self.size_arguments(node)
        groups = runs(order)
        if sizes is None or len(sizes) != len(groups) or len(sizes) == len(order) or \
                any(state.obj(o).leaf or state.obj(o).leaf_view for o in ref.objs):
            return None  # a leaf's maybe-view stays a copy, as in tensors.self_or_copy (GG102 would be an error)
        wildcards = [s for s in sizes if literal_int(s) == -1]
        if len(wildcards) > 1 or any(factor_count(s) != len(group) for s, group in zip(sizes, groups)
                                     if literal_int(s) != -1):
            return None
        # a view if the sizes are the ones they name; its layout is then left unknown (a maybe is not built on)
        return self.make_view(ref, node, state, "reshape",
                              maybe_copy=PERMUTED_RESHAPE + ", ".join(ast.unparse(s) for s in sizes))
