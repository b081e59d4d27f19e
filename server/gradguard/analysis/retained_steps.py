"""An optimizer's step() between two backward() calls through one graph kept with `retain_graph`, where the walk
does not know the optimizer (the losses and optimizers come in as arguments: `for o, loss in zip(opt, losses):
o.zero_grad(); loss.backward(retain_graph=...); o.step()`).

Losses of one forward pass share a graph, which is why the first backward() keeps it; the step changes the stepped
parameters in place, and the next backward() through that graph fails when one of its operations saved one of
them. Read from the code's shape alone, and only for that shape:
- the last backward() before the step() statement, in the same block or an enclosing one, or earlier in the same
  pass of a loop, is given a `retain_graph` other than a literal False or None;
- another backward() follows: after the step in the same block, or in an enclosing one up to the retained
  backward()'s, or anywhere in that loop's body on its next pass;
- the tensor that second backward() is called on was not computed again since the step (no assignment to its name
  in between; in a loop, none in the loop's body, unless it is the loop's own item of a collection made before the
  loop), so its graph is the retained one.
The walk reports it where the step's optimizer is a value it does not know; where it knows the optimizer and the
models, it follows the parameters themselves.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .last_iteration import last_iteration_side, loop_bound
from ..pyparse import NESTED_SCOPES, nodes_under
from .names import name_or_dotted as dotted
from .syntax import path_to
from .training import DATA_LOADER, optimizer_stem

LOOPS = (ast.For, ast.AsyncFor, ast.While)
DEFINITIONS = tuple(NESTED_SCOPES)
BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
# Calls that keep a collection of tensors what it was: its iteration yields what the forward pass made before
COLLECTION_CALLS = frozenset({"zip", "enumerate", "reversed", "list", "tuple", "sorted"})
COLLECTION_METHODS = frozenset({"items", "values"})
# A method that puts other tensors in a collection
REFILLING = frozenset({"append", "extend", "insert", "update", "clear", "setdefault", "pop", "add", "__setitem__"})
SCHEDULER = re.compile(r"sched", re.IGNORECASE)


@dataclass(frozen=True)
class RetainedStep:
    retained: ast.Call  # the backward(retain_graph=...) before the step
    again: ast.Call  # the backward() through that graph after it
    next_pass: bool  # `again` runs on the loop's next pass


def mentions_retain_graph(info) -> bool:
    """Does the file's text name `retain_graph` at all (FileInfo.lines; unknown text: maybe)? Only then is a
    step's place in the tree looked up. Kept on the FileInfo."""
    lines = getattr(info, "lines", None)
    if lines is None:
        return True
    found = info.__dict__.get("_gg_retains")
    if found is None:
        found = info._gg_retains = any("retain_graph" in line for line in lines)
    return found


def retained_step(tree: ast.Module, call: ast.Call) -> RetainedStep | None:
    """The backward() calls around this `step()` statement, when they are the shape above; None otherwise."""
    path = path_to(tree, call)
    if path is None or len(path) < 3 or not isinstance(path[-2], ast.Expr) or path[-2].value is not call:
        return None
    levels = block_levels(path[:-1])  # [(owner, block, index)], outermost first; the last holds the step statement
    if levels is None or not optimizer_like(stepped_expression(call), levels):
        return None
    found = straight_line(levels)
    if found is not None:
        return found
    for depth in range(len(levels) - 1, -1, -1):  # the innermost loop first
        owner, block, _ = levels[depth]
        if isinstance(owner, LOOPS) and block is owner.body:
            found = next_pass(levels, depth)
            if found is not None:
                return found
    return None


def block_levels(path: list) -> list | None:
    """For each statement of the path, the block that holds it and its index there, with the block's owner (the
    module, a function, or a compound statement). None when the path leaves for a nested definition's body
    (that is another scope) or goes through an expression."""
    levels = []
    for outer, inner in zip(path, path[1:]):
        if not isinstance(inner, ast.stmt) and not isinstance(inner, (ast.ExceptHandler, getattr(ast, "match_case", ()))):
            return None
        block = next((b for f in BLOCK_FIELDS if (b := getattr(outer, f, None)).__class__ is list and inner in b), None)
        if block is None:
            return None
        levels.append((outer, block, block.index(inner)))
    # the walk's scope is the innermost definition around the step: what is outside it is another scope
    start = max((i for i, (owner, _, _) in enumerate(levels) if isinstance(owner, DEFINITIONS + (ast.Module,))),
                default=0)
    levels = levels[start:]
    # an except handler or a match case is a block of blocks: keep the blocks of statements
    return [lv for lv in levels if not isinstance(lv[1][lv[2]], (ast.ExceptHandler, getattr(ast, "match_case", ())))]


def stepped_expression(call: ast.Call) -> ast.AST | None:
    """`opt` of `opt.step()`, `opts[i].step()` and `scaler.step(opt)`."""
    receiver = call.func.value
    if call.args or call.keywords:
        text = dotted(receiver) or ""
        if len(call.args) == 1 and not call.keywords and text.rsplit(".", 1)[-1].lower().endswith("scaler"):
            return call.args[0]
        return None
    return receiver


def optimizer_like(expr: ast.AST | None, levels: list) -> bool:
    """Is `expr` named like an optimizer, or the item of a loop over something named like optimizers
    (`for i, (o, loss) in enumerate(zip(opt, losses))`)?"""
    while isinstance(expr, ast.Subscript):
        expr = expr.value
    if isinstance(expr, ast.Name):
        for owner, _, _ in reversed(levels):
            if isinstance(owner, (ast.For, ast.AsyncFor)):
                source = loop_source(owner.target, owner.iter, expr.id)
                if source is not None:
                    return optimizer_like(source, [])
    text = dotted(expr) if expr is not None else None
    if not text:
        return False
    last = text.rsplit(".", 1)[-1]
    return not SCHEDULER.search(last) and (optimizer_stem(last) is not None or "optim" in last.lower()
                                           or last.lower() in ("opts", "optimisers"))


def loop_source(target: ast.AST, iterable: ast.AST, name: str) -> ast.AST | None:
    """The collection a loop's item named `name` comes from: `opt` for `o` of `for o, loss in zip(opt, losses)`."""
    if isinstance(target, ast.Name):
        if target.id != name:
            return None
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) and \
                iterable.func.attr in COLLECTION_METHODS:
            return iterable.func.value  # `for opt in optimizers.values()`
        return iterable
    if not isinstance(target, (ast.Tuple, ast.List)):
        return None
    func = getattr(iterable, "func", None)
    kind = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if kind == "enumerate" and len(target.elts) == 2 and iterable.args:
        return loop_source(target.elts[1], iterable.args[0], name)
    if kind == "zip" and len(target.elts) == len(iterable.args):
        for elt, arg in zip(target.elts, iterable.args):
            found = loop_source(elt, arg, name)
            if found is not None:
                return found
    if kind == "items" and len(target.elts) == 2:
        return loop_source(target.elts[1], func.value, name)
    return None


def straight_line(levels: list) -> RetainedStep | None:
    """A backward() after the step in its block, or in an enclosing one up to the block of the retained backward()
    (past it, the step and the retained graph belong to a branch of their own, `if train_g: ...`, and what comes
    after is another part of the training step)."""
    found = last_retained(levels, 0)
    if found is None:
        return None
    retained, top = found
    span: list = []  # the statements run since the step
    for depth in range(len(levels) - 1, top - 1, -1):
        owner, block, index = levels[depth]
        if isinstance(owner, LOOPS) and block is owner.body:
            span = list(block)  # after the loop: any of its passes ran since the step
            continue
        for stmt in block[index + 1:]:
            span.append(stmt)
            for again in backward_calls(stmt):
                if not fresh(again, span):
                    return RetainedStep(retained, again, False)
    return None


def next_pass(levels: list, depth: int) -> RetainedStep | None:
    """The loop of `levels[depth]` runs its body again after the step: a backward() there through the graph the
    step's pass retained."""
    loop, body, _ = levels[depth]
    found = last_retained(levels, depth)
    if found is None or leaves_after_step(levels, depth) or step_on_last_pass(levels, depth):
        return None
    retained = found[0]
    items = loop_items(loop)
    for stmt in body:
        for again in backward_calls(stmt):
            if not fresh(again, body, items.get(False, set())):
                return RetainedStep(retained, again, True)
    return None


def last_retained(levels: list, depth: int) -> tuple[ast.Call, int] | None:
    """The last backward() before the step, in the blocks from the step's out to `levels[depth]`, with the depth
    of its block, when its `retain_graph` is not literally off (after one that frees its graph, a graph it shared
    with an earlier retained one is freed too)."""
    for at in range(len(levels) - 1, depth - 1, -1):
        _, block, index = levels[at]
        for stmt in reversed(block[:index]):
            calls = backward_calls(stmt)
            if calls:
                return (calls[-1], at) if all(retains(c) for c in calls) else None
    return None


def retains(call: ast.Call) -> bool:
    value = next((k.value for k in call.keywords if k.arg == "retain_graph"), None)
    return value is not None and not (isinstance(value, ast.Constant) and value.value in (False, None))


def backward_calls(stmt: ast.stmt) -> list[ast.Call]:
    """`x.backward(...)` calls of a statement, in source order, not those of a nested definition."""
    calls = [n for n in nodes_in_scope(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr == "backward"]
    return sorted(calls, key=lambda c: (c.lineno, c.col_offset))


def nodes_in_scope(stmt: ast.AST) -> list:
    """The nodes of a statement, not those of a nested definition (another scope)."""
    return nodes_under(stmt, NESTED_SCOPES)


def leaves_after_step(levels: list, depth: int) -> bool:
    """A `return`, `raise`, or a `break` of this loop, after the step in its pass: the loop does not run again."""
    for inner in range(len(levels) - 1, depth - 1, -1):
        owner, block, index = levels[inner]
        # a break leaves the innermost loop around it: this one when no other loop is between
        breaks_this = not any(isinstance(o, LOOPS) and b is o.body for o, b, _ in levels[depth + 1:inner + 1])
        for stmt in block[index + 1:]:
            if isinstance(stmt, (ast.Return, ast.Raise)) or (breaks_this and isinstance(stmt, ast.Break)):
                return True
    return False


def step_on_last_pass(levels: list, depth: int) -> bool:
    """`if i == len(losses) - 1: opt.step()`: the step runs once no pass follows."""
    loop = levels[depth][0]
    bound = loop_bound(loop) if isinstance(loop, ast.For) else None
    if bound is None:
        return False
    for owner, block, _ in levels[depth + 1:]:
        if isinstance(owner, ast.If):
            side = last_iteration_side(owner.test, *bound)
            if side is True and block is owner.body or side is False and block is owner.orelse:
                return True
    return False


def loop_items(loop: ast.AST) -> dict[bool, set[str]]:
    """The names a `for` binds, under True when they are the items of a collection made before it (`for o, loss
    in zip(opt, losses)`: their tensors come from a forward pass before the loop), under False for another iterable
    (a data loader, a generator: each item may be made by a forward pass of its own, after the step)."""
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return {}
    return {stored_collection(loop.iter): {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}}


def stored_collection(expr: ast.AST) -> bool:
    if isinstance(expr, (ast.Name, ast.Attribute, ast.Subscript)):
        text = dotted(expr.value if isinstance(expr, ast.Subscript) else expr)
        return text is not None and not DATA_LOADER.search(text)  # a loader's batches are new each pass
    if isinstance(expr, (ast.Tuple, ast.List)):
        return all(stored_collection(e) for e in expr.elts)
    if isinstance(expr, ast.Call) and not expr.keywords:
        func = expr.func
        if isinstance(func, ast.Name) and func.id in COLLECTION_CALLS:
            return all(stored_collection(a) for a in expr.args)
        if isinstance(func, ast.Name) and func.id in ("range", "len"):
            return True
        if isinstance(func, ast.Attribute) and func.attr in COLLECTION_METHODS and not expr.args:
            return stored_collection(func.value)
    return False


def fresh(backward: ast.Call, span: list, new: set[str] = frozenset()) -> bool:
    """Was the tensor `backward` is called on (maybe) computed in `span`, the statements run since the step: an
    assignment to a name it reads (the loop items `new` count as one), a call that may set an attribute it reads
    (`self.forward()` before `self.loss.backward()`), or a call in its own expression (`model(x).sum()`)?"""
    roots = tensor_roots(backward.func.value)
    if roots is None:
        return True
    bound, called = bindings(span)
    bound |= set(new)
    for root in roots:
        if any(root == b or root.startswith(b + ".") for b in bound):
            return True
        head, _, rest = root.partition(".")
        if rest and head in called:
            return True
    return False


def tensor_roots(expr: ast.AST) -> set[str] | None:
    """The names (or `self.loss`) a backward()'s tensor is read from; None when its expression calls something
    (a forward pass of its own)."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "scale" and \
            len(expr.args) == 1:
        expr = expr.args[0]  # `scaler.scale(loss).backward()`
    roots: set[str] = set()
    todo = [expr]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Subscript):
            todo.append(node.value)
        elif isinstance(node, (ast.Name, ast.Attribute)):
            text = dotted(node)
            if text is None:
                return None
            roots.add(text)
        elif isinstance(node, ast.BinOp):
            todo += [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            todo.append(node.operand)
        elif not isinstance(node, ast.Constant):
            return None
    return roots


def bindings(span: list) -> tuple[set[str], set[str]]:
    """(what the statements assign: names and dotted names, a collection whose item they set or which they refill;
    the names they call a method of or pass to a call)."""
    bound: set[str] = set()
    called: set[str] = set()
    for stmt in span:
        for node in nodes_in_scope(stmt):
            targets = ()
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
                targets = (node.target,)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                targets = (node.optional_vars,)
            elif isinstance(node, ast.NamedExpr):
                targets = (node.target,)
            elif isinstance(node, ast.Delete):
                targets = node.targets
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, (ast.Name, ast.Attribute)):
                    text = dotted(func.value)
                    if text and (func.attr in REFILLING or isinstance(func.value, ast.Name)):
                        called.add(text) if func.attr not in REFILLING else bound.add(text)
                for arg in list(node.args) + [k.value for k in node.keywords]:
                    if isinstance(arg, ast.Name):
                        called.add(arg.id)
            for target in targets:
                for t in ast.walk(target):
                    if isinstance(t, (ast.Name, ast.Attribute)) and (text := dotted(t)):
                        bound.add(text)
    return bound, called
