"""The last iteration of a counted loop: `if idx == len(losses) - 1: loss.backward() else:
loss.backward(retain_graph=True)` frees the graph only when no iteration follows, so what that branch frees does not
reach the loop's next pass (it does reach the code after the loop)."""

from __future__ import annotations

import ast


def loop_bound(loop: ast.For) -> tuple[str, str] | None:
    """(counter, what its last value is one less than, as `ast.dump` text): `for i, x in enumerate(xs)` and
    `for i in range(len(xs))` -> ("i", dump of `len(xs)`); `for i in range(n)` -> ("i", dump of `n`)."""
    it = loop.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and len(it.args) == 1 and not it.keywords):
        return None
    arg = it.args[0]
    if it.func.id == "range" and isinstance(loop.target, ast.Name) and not isinstance(arg, ast.Starred):
        return loop.target.id, ast.dump(arg)
    if it.func.id == "enumerate" and isinstance(loop.target, ast.Tuple) and len(loop.target.elts) == 2 and \
            isinstance(loop.target.elts[0], ast.Name) and not isinstance(arg, ast.Starred):
        length = ast.Call(func=ast.Name(id="len", ctx=ast.Load()), args=[arg], keywords=[])
        return loop.target.elts[0].id, ast.dump(length)
    return None


def _minus_one(node: ast.AST) -> ast.AST | None:
    """`n - 1` -> `n`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.right, ast.Constant) and \
            node.right.value == 1 and node.right.value is not True:
        return node.left
    return None


def _plus_one(node: ast.AST) -> ast.AST | None:
    """`i + 1` -> `i`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Constant) and \
            node.right.value == 1 and node.right.value is not True:
        return node.left
    return None


# comparison of the counter with its last value -> is the comparison true exactly on the last iteration
LAST_WHEN = {ast.Eq: True, ast.GtE: True, ast.NotEq: False, ast.Lt: False}
FLIPPED = {ast.Eq: ast.Eq, ast.NotEq: ast.NotEq, ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}


def last_iteration_side(test: ast.AST, counter: str, bound: str) -> bool | None:
    """Does `test` hold on the loop's last iteration only (True: `i == len(xs) - 1`, `i + 1 == len(xs)`), on every
    iteration but the last (False: `i < len(xs) - 1`, `i != n - 1`), or is it another test (None)?"""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, op, right = test.left, type(test.ops[0]), test.comparators[0]
    if not (isinstance(left, ast.Name) and left.id == counter) and not _is_counter_plus_one(left, counter):
        left, right, op = right, left, FLIPPED.get(op)
    if op not in LAST_WHEN:
        return None
    if isinstance(left, ast.Name) and left.id == counter:
        last = _minus_one(right)
    elif _is_counter_plus_one(left, counter):
        last = right
    else:
        return None
    return LAST_WHEN[op] if last is not None and ast.dump(last) == bound else None


def _is_counter_plus_one(node: ast.AST, counter: str) -> bool:
    inner = _plus_one(node)
    return isinstance(inner, ast.Name) and inner.id == counter
