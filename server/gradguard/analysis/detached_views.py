"""GG304: `detach_()` of a view.

torch 2.13 refuses to detach a view in place, whatever the grad mode and whether anything requires grad
("Can't detach views in-place. Use detach() instead."), except inside `torch.inference_mode()`. Truncated BPTT
code detaches its carried state with `h.detach_()`, which is right for an RNN's own output and raises for
`h = out.unsqueeze(0)` or `h = out[:, -1]` (OpenNMT's decoder state, invariant-point-attention's rotations).

Reported only for a tensor the walk knows to be a view: made by an op that returns a view whatever the layout
(`reshape`, `flatten` and `contiguous` may copy, and are not among them, but a `reshape` that only splits the
last dim is: splits.py), by basic indexing written with literals
(`x[:, -1]`, not `x[idx]`, which copies for a tensor `idx`), never of a value that may be a tuple (`out[0]` of what
an unseen call returned, or of an argument not annotated as a tensor).
"""

from __future__ import annotations

import ast

from .. import facts
from ..facts import VIEW_ATTRS
from ..findings import Severity
from .grad_views import GRADIENT_VIEW
from .splits import reshape_splits
from .values import Ref, Tri

# What the measured op table (data/torch_ops.json, `view`) calls a view on the contiguous inputs tools/gen_facts.py
# tries, but a copy for another layout, or the tensor itself (torch 2.13: `x.t().reshape(6)`, `x.t().flatten()` are
# no views, nor `torch.real` of a real tensor); detach_() passes on those.
LAYOUT_DEPENDENT = frozenset({"reshape", "reshape_as", "flatten", "ravel", "real", "contiguous"})


def always_view(op: str) -> bool:
    """Does `op` (TObj.view_op) give a view for any input (`squeeze()` and `t()` too when they change nothing)?"""
    if op in LAYOUT_DEPENDENT:
        return False
    if op == "__getitem__" or op in VIEW_ATTRS:  # basic indexing (certain_view reads the index), `.T`, `.mT`...
        return True
    fact = facts.op(op, "method", {}) or facts.op(op, "torch", {})
    return fact is not None and fact.view


MESSAGE = "Can't detach views in-place. Use detach() instead."


def literal_basic_index(index: ast.AST) -> bool:
    """`0`, `-1`, `:`, `1:`, `None`, `...` and tuples of them: basic indexing, a view whatever the values."""
    items = index.elts if isinstance(index, ast.Tuple) else [index]
    for item in items:
        if isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.USub):
            item = item.operand
        if isinstance(item, ast.Slice) or isinstance(item, ast.Constant) and (
                item.value is None or item.value is Ellipsis or type(item.value) is int):
            continue
        return False
    return True


def split_reshape(node) -> bool:
    """`t.reshape(*t.shape[:-1], -1, 2)` (or `torch.reshape(t, ...)`): a split of the last dim, a view of any
    layout (splits.py)."""
    return reshape_splits(node, False) or reshape_splits(node, True)


def certain_view(obj) -> bool:
    if obj.view_op == GRADIENT_VIEW:  # a gradient torch returns as a view (grad_views.py)
        return not obj.maybe_copy
    if obj.view_op is None or obj.maybe_copy or obj.view_kind == "inference" or \
            not always_view(obj.view_op) and not (obj.view_op == "reshape" and split_reshape(obj.origin)):
        return False
    origin = obj.origin
    if isinstance(origin, ast.Subscript):
        maybe_tuple = obj.opaque or obj.passed_in or (obj.is_argument and not obj.tensor_declared)
        return not maybe_tuple and literal_basic_index(origin.slice)
    if isinstance(origin, ast.Call):  # the op that made it, not an einops pattern or a helper that reshapes
        func = origin.func
        return always_view(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) or \
            split_reshape(origin)
    if isinstance(origin, ast.Attribute):
        return always_view(origin.attr)
    # iterating or unpacking a tensor the walk knows is one (statements.py): its rows
    return obj.view_op == "unbind" and isinstance(origin, (ast.stmt, ast.comprehension))


def report(walker, ref: Ref, node: ast.Call, state) -> None:
    """`ref.detach_()` at `node`: GG304 when every tensor `ref` may hold is a view."""
    if state.inference or not ref.objs:
        return
    objs = [state.obj(oid) for oid in ref.objs]
    if ref.every:  # each of these goes through detach_() (`for g in grads: g.detach_()`): one view is enough
        objs = [obj for obj in objs if certain_view(obj)]
    if not objs or not all(certain_view(obj) for obj in objs):
        return
    sink = walker.sink
    name = sink.text(node.func.value)
    origin = objs[0].origin
    op = objs[0].view_op
    made = "indexing" if op == "__getitem__" else f"`{op}`"
    if op == GRADIENT_VIEW:
        made = (f"`torch.autograd.grad`: {objs[0].describe.replace('the gradient of ', 'the gradient of the ', 1)}, "
                "which only one nn.Linear / F.linear used, is a transposed or reshaped view")
    # Raises with grad mode on or off; only a caller running it under torch.inference_mode() escapes it.
    assumed = state.grad is not Tri.YES or state.grad_assumed
    sink.add("GG304", node, Severity.WARNING if assumed and state.grad is not Tri.NO else Severity.ERROR,
             f"`{name}` is a view (made by {made}); `detach_()` of a view raises here, with grad mode on or off: "
             f"'{MESSAGE}'" + (" (unless the caller runs this under `torch.inference_mode()`)" if assumed and
                               state.grad is not Tri.NO else "") + (
                 f" No safe automatic fix: `{name}` stands for each item of a sequence, and rebinding it to a "
                 "detached copy leaves the items as they were; rebind the sequence to detached copies (`grads = "
                 "[g.detach() for g in grads]`). A `.clone()` cannot help either: the sequence would still hold the "
                 "views." if ref.every
                 else ""),
             [sink.related(origin, f"`{name}` is made a view here")] if origin is not None and
             origin is not node.func.value else [],
             [f"`{name}` shares its base's memory and autograd history; only a non-view can leave the graph in "
              "place."], via=walker.frames, obj=objs[0],
             # rebinding a loop's name to a detached copy would leave the sequence's items (each gradient) attached
             fix=None if ref.every else {"kind": "detach-view", "node": node})
