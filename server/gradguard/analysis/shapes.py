"""Tensor shapes as far as the walk knows them: literals, factories, broadcasting, one element or not."""

from __future__ import annotations

import ast

from ..facts import ELEMENTWISE, FULL_REDUCTIONS, LOSSES_DEFAULT_MEAN
from .values import ConstStr, Number, Seq, Tri


# in-place methods (their names without the `_`) that give the tensor other sizes, or another rank: what the walk
# knew of its shape is gone (`x.unsqueeze_(0)`; `resize_` and `set_` may change its element count too)
RESHAPING_IN_PLACE = frozenset({"unsqueeze", "squeeze", "t", "transpose", "swapdims", "swapaxes", "as_strided",
                                "resize", "resize_as", "set"})
RECOUNTING_IN_PLACE = frozenset({"resize", "resize_as", "set", "as_strided"})


def known_rank(shape) -> int | None:
    """The number of dims of a tensor whose sizes are all known: `torch.rand(2, 3, 4, 4)` has 4. None otherwise,
    also for a shape with an unknown size (broadcast's `(None, d)` for an operand of unknown shape only says the
    tensor is not one element, not how many dims it has)."""
    if shape is None or not all(type(d) is int for d in shape):
        return None
    return len(shape)


def sizes_of_rank(rank: int) -> Seq:
    """`x.shape` / `x.size()` of a tensor of known rank: a tuple of that many ints (their values left unknown)."""
    return Seq(tuple(Number() for _ in range(rank)))


def factory_scalar(name, args, kwargs) -> Tri:
    if name in ("tensor", "as_tensor", "scalar_tensor"):
        if name == "scalar_tensor":
            return Tri.YES
        if not args:
            return Tri.MAYBE
        first = args[0]
        if isinstance(first, Number):
            return Tri.YES
        if isinstance(first, Seq):
            return Tri.YES if len(first.items) == 1 and not isinstance(first.items[0], Seq) else Tri.NO
        return Tri.MAYBE
    if name in ("zeros", "ones", "empty", "rand", "randn", "full"):
        dims = args[:-1] if name == "full" else args
        if dims and isinstance(dims[0], Seq):
            dims = list(dims[0].items)
        sizes = [d.value for d in dims if isinstance(d, Number)]
        if len(sizes) == len(dims) and all(isinstance(s, int) for s in sizes):
            total = 1
            for s in sizes:
                total *= s
            return Tri.YES if total == 1 else Tri.NO
    return Tri.MAYBE



def scalar_of(shape, default: Tri) -> Tri:
    if shape is None or any(not isinstance(d, int) for d in shape):
        if shape is not None and any(isinstance(d, int) and d > 1 for d in shape):
            return Tri.NO
        return default
    total = 1
    for d in shape:
        total *= d
    return Tri.YES if total == 1 else Tri.NO



def broadcast(shapes):
    if not shapes or any(s is None for s in shapes):
        known = [s for s in shapes if s is not None]
        # an unknown operand cannot make a known multi-element operand smaller
        if known and any(isinstance(d, int) and d > 1 for s in known for d in s):
            return (None,) + tuple(d for s in known for d in s if isinstance(d, int) and d > 1)[:1]
        return None
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        dims = [s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0]
        ints = [d for d in dims if isinstance(d, int)]
        if len(ints) != len(dims):
            out.append(max(ints) if ints and max(ints) > 1 else None)
        else:
            out.append(max(ints) if ints else 1)
    return tuple(out)



def literal_shape(value):
    """The shape of a nested list literal of numbers: [[1., 2.], [3., 4.]] -> (2, 2)."""
    if isinstance(value, Number):
        return ()
    if isinstance(value, Seq) and value.items and "*" not in value.items:
        inner = {literal_shape(i) for i in value.items}
        if len(inner) == 1:
            sub = inner.pop()
            return None if sub is None else (len(value.items),) + sub
    return None



def factory_shape(name, args, kwargs, shape_of):
    if name in ("tensor", "as_tensor"):
        return literal_shape(args[0]) if args else None
    if name == "scalar_tensor":
        return ()
    if name in ("zeros", "ones", "empty", "rand", "randn", "full"):
        dims = args[:1] if name == "full" else args
        if name == "full" and args and isinstance(args[0], Seq):
            dims = list(args[0].items)
        elif dims and isinstance(dims[0], Seq):
            dims = list(dims[0].items)
        if dims and all(isinstance(d, Number) and isinstance(d.value, int) for d in dims):
            return tuple(d.value for d in dims)
        return None
    if name in ("zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like"):
        return shape_of(args[0]) if args else None
    return None



def linear_param_shape(module, attr):
    """`nn.Linear(3, 2)`: weight (2, 3), bias (2,)."""
    if module is None or module.kind != "Linear" or not isinstance(module.node, ast.Call):
        return None
    nums = [a.value for a in module.node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, int)]
    for kw in module.node.keywords:
        if kw.arg in ("in_features", "out_features") and isinstance(kw.value, ast.Constant):
            nums.append(kw.value.value)
    if len(nums) < 2:
        return None
    fan_in, fan_out = nums[0], nums[1]
    return (fan_out, fan_in) if attr == "weight" else (fan_out,) if attr == "bias" else None


def class_loss_shape(logits: tuple | None) -> tuple | None:
    """cross_entropy / nll_loss with `reduction="none"`: one value per sample, the class dimension (1) dropped:
    (N, C) -> (N,), (N, C, d1, ...) -> (N, d1, ...); an unbatched (C,) input gives one value."""
    if logits is None:
        return None
    if len(logits) == 1:
        return ()
    return logits[:1] + logits[2:] if len(logits) >= 2 else None


def result_shape(name, tensor_params, bound, kwargs, shape_of):
    """The shape of an op's result from its inputs' (`shape_of`), where the op's kind tells it; None: unknown."""
    if name in LOSSES_DEFAULT_MEAN:
        red = kwargs.get("reduction", bound.get("reduction"))
        if red is None:
            return ()
        if isinstance(red, ConstStr) and red.value == "none":
            if name in ("cross_entropy", "nll_loss"):
                return class_loss_shape(shape_of(bound.get("input")))
            return broadcast([shape_of(v) for v in tensor_params.values()])
        return () if isinstance(red, ConstStr) else None
    if name in FULL_REDUCTIONS:
        has_dim = any(k in bound or k in kwargs for k in ("dim", "axis"))
        return None if has_dim else ()
    if name in ELEMENTWISE or name in ("neg", "pow", "sub", "rsub"):
        return broadcast([shape_of(v) for v in tensor_params.values()])
    if name in ("matmul", "mm") and len(tensor_params) == 2:  # the inputs' shapes, read only where the op needs them
        shapes = [shape_of(v) for v in tensor_params.values()]
        if shapes[0] and shapes[1] and len(shapes[0]) == 2 and len(shapes[1]) == 2:
            return (shapes[0][0], shapes[1][1])
    if name == "linear":
        x, w = shape_of(bound.get("input")), shape_of(bound.get("weight"))
        if x and w and len(w) == 2:
            return x[:-1] + (w[0],)
    return None

def result_scalar(name, tensor_params, bound, kwargs, scalar_of_value) -> Tri:
    """Is an op's result one element, from its inputs' (`scalar_of_value`) and the op's kind?"""
    if name in LOSSES_DEFAULT_MEAN:
        red = kwargs.get("reduction")
        return Tri.MAYBE if red is not None else Tri.YES
    if name in FULL_REDUCTIONS:
        has_dim = any(k in bound or k in kwargs for k in ("dim", "axis")) or "dim" in bound
        return Tri.MAYBE if has_dim else Tri.YES
    if name in ELEMENTWISE or name in ("neg",):
        scalars = [scalar_of_value(v) for v in tensor_params.values()]
        if any(s is Tri.NO for s in scalars):
            return Tri.NO
        if scalars and all(s is Tri.YES for s in scalars):
            return Tri.YES
    return Tri.MAYBE
