"""Names that every iteration of a loop either binds anew before reading them or reads as they were before the loop.

`disc_loss` in CausalDiscoveryToolbox's SAM: assigned in the body under `if losstype == "gan": ... elif losstype ==
"fgan": ...` (no else), read after. `losstype` does not change in the loop, so an iteration takes the assigning
branches exactly when the first one did: either every iteration assigns `disc_loss` before reading it, or none does
and every one reads what the name held before the loop (unbound there: a NameError in the first iteration, before
any backward()). The previous iteration's value, which the walk's joined passes would carry, is never read.

A test the loop can change (`if i > 0:`, a name the loop assigns), an assignment that reads the name itself
(`loss = loss + ...`) or a read before an assignment keeps the name carried.
"""

from __future__ import annotations

import ast

from ..pyparse import child_fields, statements
from .names import name_or_dotted

LOOPS = (ast.For, ast.AsyncFor, ast.While)
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
          ast.GeneratorExp)
# statements an assignment may sit in and still run whenever the enclosing `if`s' tests hold
TRANSPARENT = (ast.If, ast.With, ast.AsyncWith)


def rebound_each_iteration(loop: ast.AST) -> frozenset:
    """The names of `loop`'s body that no iteration reads from the previous one: each later iteration starts with
    what they held before the loop (statements.loop). Kept on the node."""
    cached = loop.__dict__.get("_gg_rebound")
    if cached is None:
        cached = loop._gg_rebound = frozenset(_rebound(loop))
    return cached


def _rebound(loop) -> set[str]:
    if not _assigns_under_if(loop):
        # A name bound only by statements that run on every iteration is bound anew by the walk itself: only a
        # binding under an `if` makes a difference, and a loop without one (most) is not walked
        return set()
    parents: dict[int, ast.AST] = {}
    occurrences: dict[str, list[ast.Name]] = {}
    stored: set[str] = set()  # names and dotted attributes the loop assigns, anywhere in it
    declared: set[str] = set()
    nested_scope: set[str] = set()  # names read or written in a function, lambda or comprehension inside the loop
    for stmt in loop.body:
        parents[id(stmt)] = loop
    stack = [(stmt, False) for stmt in loop.body]
    for part in ([loop.target] if hasattr(loop, "target") else [loop.test]):
        stack.append((part, False))
        parents[id(part)] = loop
    while stack:
        node, in_scope = stack.pop()
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                stored.add(node.id)
            if in_scope:
                nested_scope.add(node.id)
            else:
                occurrences.setdefault(node.id, []).append(node)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            stored.add(name_or_dotted(node) or "")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            stored.add(node.name)
        scope = in_scope or isinstance(node, SCOPES)
        for field in child_fields(node.__class__):  # ast.iter_child_nodes without its generator
            child = getattr(node, field, None)
            if child.__class__ is list:
                for item in child:
                    if isinstance(item, ast.AST):
                        parents[id(item)] = node
                        stack.append((item, scope))
            elif isinstance(child, ast.AST) and child.__class__ is not ast.Constant:
                parents[id(child)] = node
                stack.append((child, scope))
    names = set()
    for name, found in occurrences.items():
        if name in declared or name in nested_scope:
            continue
        stores = [n for n in found if isinstance(n.ctx, ast.Store)]
        if stores and len(stores) < len(found) and _fresh(loop, stores, [n for n in found if n not in stores],
                                                          parents, stored):
            names.add(name)
    return names


def _assigns_under_if(loop) -> bool:
    """Does the loop's body bind a plain name in an assignment under an `if` (its statements only, not its
    expressions)?"""
    for stmt in statements(loop.body):
        if stmt.__class__ is ast.If:
            for inner in statements(stmt.body + stmt.orelse):
                if inner.__class__ in (ast.Assign, ast.AnnAssign) and any(
                        t.__class__ is ast.Name for t in getattr(inner, "targets", [getattr(inner, "target", None)])):
                    return True
    return False


def _chain(node, loop, parents) -> list:
    """The ancestors of `node` from the loop down (the loop first, `node` last)."""
    out = [node]
    while out[-1] is not loop:
        out.append(parents[id(out[-1])])
    return out[::-1]


def _fresh(loop, stores: list, loads: list, parents: dict, stored: set) -> bool:
    chains = [_chain(n, loop, parents) for n in stores + loads]
    common = 0  # how many ancestors all uses share
    while all(len(c) > common and c[common] is chains[0][common] for c in chains):
        common += 1
    inner = next(n for n in reversed(chains[0][:common]) if isinstance(n, LOOPS))  # holds every use
    ends = []
    for store, chain in zip(stores, chains):
        below = chain[chain.index(inner) + 1:]
        statement = next((n for n in reversed(below) if isinstance(n, ast.stmt)), None)
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
            return False  # `x += ...`, a loop's or a with's target: not a plain binding
        around = below[:below.index(statement)]
        if any(not isinstance(n, TRANSPARENT) or isinstance(n, ast.If) and not _invariant(n.test, stored)
               for n in around if isinstance(n, ast.stmt)):
            return False
        ends.append((statement.end_lineno, statement.end_col_offset))
    last_store = max(ends)
    return all((n.lineno, n.col_offset) > last_store for n in loads)


def _invariant(test: ast.AST, stored: set) -> bool:
    """Does `test` read only constants and names (or their attributes) that the loop never assigns?"""
    if isinstance(test, ast.Constant):
        return True
    if isinstance(test, (ast.Name, ast.Attribute)):
        text = name_or_dotted(test)
        return text is not None and not any(text == s or text.startswith(s + ".") for s in stored)
    if isinstance(test, ast.Compare):
        return all(_invariant(t, stored) for t in [test.left] + test.comparators)
    if isinstance(test, ast.BoolOp):
        return all(_invariant(t, stored) for t in test.values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _invariant(test.operand, stored)
    if isinstance(test, (ast.Tuple, ast.List, ast.Set)):
        return all(_invariant(t, stored) for t in test.elts)
    return False
