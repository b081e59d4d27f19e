"""GG505: a custom autograd.Function's forward marks a tensor dirty (`ctx.mark_dirty(x, running_mean)`) and then
returns without it.

torch's contract: every tensor given to `ctx.mark_dirty` is an input the forward changed in place, and must be one
of its outputs. `Function.apply` checks it when forward returns and raises otherwise, with grad mode on or off,
even in inference mode, whether or not any input requires grad (measured under torch 2.13). So this is a local
check of the forward's body, decided without any caller.

The check is syntactic and precise by construction: a marked tensor is reported missing from a `return` only when
that return is reached from the mark (the `if` sides are followed, and a side guarded by the opposite of the same
test is not), and nothing the return mentions may hold it: not its name, nor any name, attribute holder or list
that an expression using it was bound or handed to anywhere in the forward (`y = x`, `outs = (x, rm)`,
`ctx.rm = rm`, `outs.append(rm)`). A `return` of anything else (`x.view(-1)`, a helper's result) that mentions the
marked tensor is taken as maybe returning it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..findings import Severity

# methods of ctx that keep what they are given out of forward's outputs (they do not make ctx hold an output)
CTX_BOOKKEEPING = {"mark_dirty", "mark_non_differentiable", "save_for_backward", "set_materialize_grads",
                   "save_for_forward"}
TERMINAL = (ast.Return, ast.Raise)


@dataclass(frozen=True)
class Mark:
    name: str  # the name the tensor had where it was marked
    call: ast.Call  # the ctx.mark_dirty(...) call
    position: int  # its place among the call's arguments
    cond: frozenset  # the `if` sides it was marked on: (test text, True/False)


def report(sink, fn: ast.FunctionDef) -> None:
    """Report GG505 at each `return` of the custom Function's `forward` that a marked tensor cannot be part of."""
    positional = fn.args.posonlyargs + fn.args.args
    is_cls = any(getattr(d, "id", getattr(d, "attr", None)) == "classmethod" for d in fn.decorator_list)
    if len(positional) < 1 + is_cls:
        return
    ctx_name = positional[is_cls].arg  # `def forward(ctx, x)`, or `(cls, ctx, x)` for a classmethod
    if not any(is_mark(node, ctx_name) for node in own_nodes(fn)):
        return
    holders = holders_of(fn, ctx_name)
    reported: set = set()
    for ret, marks, cond in returns_reached(fn.body, ctx_name):
        mentioned = names_in(ret.value) if ret.value is not None else set()
        missing = []
        for mark in sorted(marks, key=lambda m: (m.call.lineno, m.call.col_offset, m.position)):
            if exclusive(mark.cond, cond) or mark.name in mentioned or \
                    any(mark.name in holders.get(n, ()) for n in mentioned):
                continue
            if mark.name not in missing:
                missing.append(mark.name)
        if not missing or id(ret) in reported:
            continue
        reported.add(id(ret))
        names = ", ".join(f"`{n}`" for n in missing)
        first = min((m.call for m in marks if m.name == missing[0]), key=lambda c: (c.lineno, c.col_offset))
        returned = sink.text(ret.value) if ret.value is not None else "None"
        sink.add("GG505", ret, Severity.ERROR,
                 f"forward marks {names} dirty (`ctx.mark_dirty`, line {first.lineno}) but returns `{returned}` "
                 f"without {'it' if len(missing) == 1 else 'them'}: torch raises at apply() that elements marked "
                 f"dirty must be returned",
                 related=[sink.related(first, "marked dirty here")])


def is_mark(node: ast.AST, ctx_name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "mark_dirty" \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == ctx_name


def own_nodes(fn):
    """The nodes of `fn`'s body, not those of functions, lambdas or classes defined inside it."""
    todo = list(fn.body)
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                todo.append(child)


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def target_names(target: ast.AST) -> set[str]:
    """The names a store binds or changes the contents of: `a`, `a, b`, `a.attr` (a), `a[i]` (a), `*a`."""
    while isinstance(target, (ast.Attribute, ast.Subscript, ast.Starred)):
        target = target.value
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(target_names(t) for t in target.elts)) if target.elts else set()
    return set()


def holders_of(fn, ctx_name: str) -> dict[str, set[str]]:
    """For each name of the forward, the names whose tensors it may hold (flow-insensitive, to a fixed point): a
    binding from an expression that reads a name, a store into its attribute or item, a method call given one."""
    flows: list[tuple[set[str], set[str]]] = []  # (names written, names read)
    for node in own_nodes(fn):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            flows.append((set().union(*(target_names(t) for t in targets)), names_in(node.value)))
        elif isinstance(node, ast.NamedExpr):
            flows.append(({node.target.id}, names_in(node.value)))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            flows.append((target_names(node.target), names_in(node.iter)))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            flows.append((target_names(node.optional_vars), names_in(node.context_expr)))
        elif isinstance(node, ast.comprehension):
            flows.append((target_names(node.target), names_in(node.iter)))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = target_names(node.func.value)
            if receiver == {ctx_name} and node.func.attr in CTX_BOOKKEEPING:
                continue
            read = set().union(*(names_in(a) for a in node.args), *(names_in(k.value) for k in node.keywords))
            flows.append((receiver, read))  # `outs.append(rm)`, `ctx.stash(rm)`
    holders: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        for written, read in flows:
            held = set(read).union(*(holders.get(r, ()) for r in read))
            for w in written:
                before = holders.setdefault(w, set())
                if not held <= before:
                    before |= held
                    changed = True
    return holders


def exclusive(a: frozenset, b: frozenset) -> bool:
    """Are two paths on opposite sides of the same test?"""
    return any((test, not side) in b for test, side in a)


def returns_reached(body: list, ctx_name: str):
    """(return statement, marks that may be made on a path to it, the `if` sides of its path) for each return of
    the forward's body."""
    out: list = []
    walk(body, frozenset(), frozenset(), ctx_name, out)
    return out


def walk(body: list, marks: frozenset, cond: frozenset, ctx_name: str, out: list):
    """Walk a block; returns the marks made on the paths that leave it by its end (None: no path does)."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, ast.Return):
            out.append((stmt, marks, cond))
            return None
        if isinstance(stmt, ast.Raise):
            return None
        if isinstance(stmt, ast.If):
            test = ast.dump(stmt.test)
            ends = [walk(stmt.body, marks, cond | {(test, True)}, ctx_name, out),
                    walk(stmt.orelse, marks, cond | {(test, False)}, ctx_name, out)]
            through = [e for e in ends if e is not None]
            if not through:
                return None
            if len(through) == 1:  # only one side goes on: the path after the `if` is that side's
                cond = cond | {(test, ends[0] is not None)}
            marks = frozenset().union(*through)
            continue
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            after = walk(stmt.body, marks, cond, ctx_name, out)  # zero or more passes, `break` leaves early
            marks = marks | (after or frozenset()) | marks_in(stmt.body, ctx_name, cond)
            rest = walk(stmt.orelse, marks, cond, ctx_name, out)
            marks = marks | (rest or frozenset())
            continue
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            after = walk(stmt.body, marks, cond, ctx_name, out)
            if after is None:
                return None
            marks = after
            continue
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            # any statement of the body may raise into a handler: the handlers start from every mark the body makes
            inside = marks | marks_in(stmt.body, ctx_name, cond)
            ends = [walk(stmt.body + stmt.orelse, marks, cond, ctx_name, out)]
            ends += [walk(h.body, inside, cond, ctx_name, out) for h in stmt.handlers]
            through = [e for e in ends if e is not None]
            if stmt.finalbody:
                start = frozenset().union(inside, *through)
                final = walk(stmt.finalbody, start, cond, ctx_name, out)
                if final is None or not through:
                    return None
                marks = final
            elif not through:
                return None
            else:
                marks = frozenset().union(*through)
            continue
        if isinstance(stmt, ast.Match):
            ends = [walk(case.body, marks, cond, ctx_name, out) for case in stmt.cases]
            marks = frozenset().union(marks, *(e for e in ends if e is not None))
            continue
        marks = marks | marks_made(stmt, ctx_name, cond)
    return marks


def marks_made(stmt: ast.stmt, ctx_name: str, cond: frozenset) -> frozenset:
    """The tensors a simple statement marks dirty (`ctx.mark_dirty(x, y)`; a starred argument names none)."""
    out = set()
    for node in ast.walk(stmt):
        if is_mark(node, ctx_name):
            out |= {Mark(a.id, node, i, cond) for i, a in enumerate(node.args) if isinstance(a, ast.Name)}
    return frozenset(out)


def marks_in(body: list, ctx_name: str, cond: frozenset) -> frozenset:
    """Every mark made anywhere in a block (the paths through a loop or a try that a raise or break cuts short)."""
    out = set()
    for stmt in body:
        for node in ast.walk(stmt):
            if is_mark(node, ctx_name):
                out |= {Mark(a.id, node, i, cond) for i, a in enumerate(node.args) if isinstance(a, ast.Name)}
    return frozenset(out)
