"""`reshape` sizes that only split a dimension: a view whatever the input's layout.

torch's `reshape` returns a view whenever strides for the new shape exist, and a copy only when none do. Splitting
one dim of stride s into sizes (n, m) always has strides (m * s, s), and adding or keeping a dim of size one needs
no stride at all, so a reshape that keeps every dim but the last and splits the last one is a view for any input:
torch 2.13 on slices, transposes, chunk pieces, expanded and stepped views, and the heads of a permuted qkv
projection (`x.reshape(*x.shape[:-1], -1, 2)`, `x.reshape(x.shape[:-1] + (-1, 2))`, (2, 6, 24) reshaped to (2, 6, 3,
8)) always shares the input's memory. Merging dims is what may copy (`x[:, :, 1:].reshape(2, -1)`,
`x.transpose(0, 1).reshape(-1, 24)`), and stays what the facts say (a copy, or a maybe: op_application, permuted.py).

The sizes are read from the code: `*X.shape[:-1]` (or `X.size()[:-1]`) followed by one or more sizes, where X is
the reshaped tensor itself or the tensor a shape-keeping conversion of it was taken from (`xq.float().reshape(
*xq.shape[:-1], -1, 2)`).
"""

from __future__ import annotations

import ast

# methods whose result has the shape of their receiver (a dtype, device or layout conversion; a copy or not)
SHAPE_KEEPING = frozenset({"float", "double", "half", "bfloat16", "to", "type", "type_as", "contiguous", "cpu",
                           "cuda", "detach", "clone", "requires_grad_"})


def stripped(node: ast.AST) -> ast.AST:
    """`xq.float().to(d)` -> `xq`: the expression a chain of shape-keeping method calls starts from."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHAPE_KEEPING:
        node = node.func.value
    return node


def same_tensor(a: ast.AST, b: ast.AST) -> bool:
    """Do two expressions name tensors of one shape (`xq` and `xq.float()`)? Names and attribute chains only."""
    a, b = stripped(a), stripped(b)
    if not isinstance(a, (ast.Name, ast.Attribute)):
        return False
    return ast.dump(a) == ast.dump(b)


def shape_prefix(node: ast.AST) -> ast.AST | None:
    """`X.shape[:-1]` / `X.size()[:-1]`: X; None for anything else."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
        return None
    s = node.slice
    if s.lower is not None or s.step is not None or not (
            isinstance(s.upper, ast.UnaryOp) and isinstance(s.upper.op, ast.USub) and
            isinstance(s.upper.operand, ast.Constant) and s.upper.operand.value == 1 and
            type(s.upper.operand.value) is int):
        return None
    base = node.value
    if isinstance(base, ast.Attribute) and base.attr == "shape":
        return base.value
    if isinstance(base, ast.Call) and isinstance(base.func, ast.Attribute) and base.func.attr == "size" and \
            not base.args and not base.keywords:
        return base.func.value
    return None


def size_list(args: list) -> list | None:
    """The sizes as written: `reshape(a, b)`, `reshape((a, b))`, `reshape([a, b])`, `reshape(s + (a, b))` with the
    `s + (...)` unfolded into a starred `s` and the tuple's items."""
    if len(args) == 1:
        only = args[0]
        if isinstance(only, (ast.Tuple, ast.List)):
            return list(only.elts)
        if isinstance(only, ast.BinOp) and isinstance(only.op, ast.Add) and isinstance(only.right, ast.Tuple):
            return [ast.Starred(only.left, ast.Load())] + list(only.right.elts)
    return args


def splits_last_dim(receiver: ast.AST, args: list) -> bool:
    """`receiver.reshape(*X.shape[:-1], s1, ..., sk)` with X the receiver (up to shape-keeping conversions)."""
    sizes = size_list(args)
    if not sizes or len(sizes) < 2 or not isinstance(sizes[0], ast.Starred):
        return False
    prefix_of = shape_prefix(sizes[0].value)
    if prefix_of is None or not same_tensor(prefix_of, receiver):
        return False
    return not any(isinstance(s, ast.Starred) for s in sizes[1:])


def reshape_splits(node: ast.AST, torch_form: bool) -> bool:
    """Does this `reshape` call only split dims, so that it returns a view for any layout of its input?"""
    if not isinstance(node, ast.Call) or node.keywords or not isinstance(node.func, ast.Attribute) and not torch_form:
        return False
    args = list(node.args)
    if torch_form:
        if not args:
            return False
        receiver, args = args[0], args[1:]
    else:
        receiver = node.func.value
    return splits_last_dim(receiver, args)
