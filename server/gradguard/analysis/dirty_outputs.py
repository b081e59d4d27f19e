"""GG505: a custom autograd.Function's forward marks a tensor dirty (`ctx.mark_dirty(x, running_mean)`) and then
returns without it.

torch's contract: every tensor given to `ctx.mark_dirty` is an input the forward changed in place, and must be one
of its outputs. `Function.apply` checks it when forward returns and raises otherwise, with grad mode on or off,
even in inference mode, whether or not any input requires grad (measured under torch 2.13). So this is a local
check of the forward's body, decided without any caller.

The check is syntactic and precise by construction: a marked tensor is reported missing from a `return` only when
that return is reached from the mark (the `if` sides are followed, and a side guarded by the opposite of the same
test is not), and nothing the return mentions may hold it on a path that reaches it: not its name, nor any name,
attribute holder or list that an expression using it was bound or handed to on the way (`y = x`, `outs = (x, rm)`,
`ctx.rm = rm`, `outs.append(rm)`; a loop's body twice, so that a pass's bindings reach the next). A name rebound
on the way holds only what its new value holds: a sync batch norm whose eval branch returns early after
`mean = running_mean.contiguous()` and whose training path rebinds `mean` before `return y` still misses the
statistics. A `return` of anything else (`x.view(-1)`, a helper's result) that mentions the marked tensor is taken
as maybe returning it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from ..findings import Severity
from ..pyparse import own_nodes

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
    reached: dict = {}  # id(return) -> (return, [(marks, cond)], names -> what they may hold on some path)
    for ret, path in returns_reached(fn.body, ctx_name):
        entry = reached.setdefault(id(ret), (ret, [], {}))
        entry[1].append((path.marks, path.cond))
        for name, held in path.holds.items():
            entry[2][name] = entry[2].get(name, frozenset()) | held
    for ret, paths, holds in reached.values():
        mentioned = names_in(ret.value) if ret.value is not None else set()
        returned = set(mentioned).union(*(holds.get(n, ()) for n in mentioned))
        missing, first = [], {}
        for marks, cond in paths:
            for mark in sorted(marks, key=lambda m: (m.call.lineno, m.call.col_offset, m.position)):
                if exclusive(mark.cond, cond) or mark.name in returned:
                    continue
                if mark.name not in missing:
                    missing.append(mark.name)
                at = first.get(mark.name)
                if at is None or (mark.call.lineno, mark.call.col_offset) < (at.lineno, at.col_offset):
                    first[mark.name] = mark.call
        if not missing:
            continue
        names = ", ".join(f"`{n}`" for n in missing)
        call = first[missing[0]]
        text = sink.text(ret.value) if ret.value is not None else "None"
        sink.add("GG505", ret, Severity.ERROR,
                 f"forward marks {names} dirty (`ctx.mark_dirty`, line {call.lineno}) but returns `{text}` "
                 f"without {'it' if len(missing) == 1 else 'them'}: torch raises at apply() that elements marked "
                 f"dirty must be returned",
                 related=[sink.related(call, "marked dirty here")])


def is_mark(node: ast.AST, ctx_name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "mark_dirty" \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == ctx_name


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


def rebinds(target: ast.AST) -> bool:
    """Does the store give its names new values (`a = ...`, `a, b = ...`), rather than change what they hold?"""
    if isinstance(target, ast.Name):
        return True
    return isinstance(target, (ast.Tuple, ast.List)) and all(rebinds(t) for t in target.elts)


@dataclass(frozen=True)
class Path:
    marks: frozenset  # the Marks made on the way
    cond: frozenset  # the `if` sides taken: (test text, True/False)
    holds: dict  # name -> the names whose tensors it may hold (through `y = x`, `outs = (x, rm)`, `ctx.rm = rm`)

    def join(self, other: "Path") -> "Path":
        holds = dict(self.holds)
        for name, held in other.holds.items():
            holds[name] = holds.get(name, frozenset()) | held
        return Path(self.marks | other.marks, self.cond & other.cond, holds)


def flows(node: ast.AST, ctx_name: str):
    """(target, names read, rebinding) for each way a statement makes a name hold what other names hold."""
    for sub in [node] + [n for n in own_nodes_of(node)]:
        if isinstance(sub, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and sub.value is not None:
            read = names_in(sub.value)
            for target in (sub.targets if isinstance(sub, ast.Assign) else [sub.target]):
                strong = not isinstance(sub, ast.AugAssign) and rebinds(target)
                for name in target_names(target):
                    yield name, read, strong
        elif isinstance(sub, ast.NamedExpr):
            yield sub.target.id, names_in(sub.value), True
        elif isinstance(sub, ast.withitem) and sub.optional_vars is not None:
            for name in target_names(sub.optional_vars):
                yield name, names_in(sub.context_expr), rebinds(sub.optional_vars)
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
            receiver = target_names(sub.func.value)
            if receiver == {ctx_name} and sub.func.attr in CTX_BOOKKEEPING:
                continue
            read = set().union(*(names_in(a) for a in sub.args), *(names_in(k.value) for k in sub.keywords))
            for name in receiver:  # `outs.append(rm)`, `ctx.stash(rm)`
                yield name, read, False


def own_nodes_of(stmt: ast.AST):
    """The nodes inside a simple statement, not those of lambdas or comprehensions' own scopes' functions."""
    todo = list(ast.iter_child_nodes(stmt))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def step(path: Path, node: ast.AST, ctx_name: str) -> Path:
    """The path after a simple statement (or a loop's header, a `with` item): what its names hold, its marks."""
    holds = path.holds
    changed = False
    for name, read, strong in flows(node, ctx_name):
        held = frozenset(read).union(*(holds.get(r, ()) for r in read))
        if not changed:
            holds, changed = dict(holds), True
        holds[name] = held if strong else holds.get(name, frozenset()) | held
    return Path(path.marks | marks_made(node, ctx_name, path.cond), path.cond, holds)


def exclusive(a: frozenset, b: frozenset) -> bool:
    """Are two paths on opposite sides of the same test?"""
    return any((test, not side) in b for test, side in a)


def returns_reached(body: list, ctx_name: str):
    """(return statement, the Path that reaches it) for each way to each return of the forward's body."""
    out: list = []
    walk(body, Path(frozenset(), frozenset(), {}), ctx_name, out)
    return out


def join_all(paths) -> Path | None:
    paths = [p for p in paths if p is not None]
    if not paths:
        return None
    out = paths[0]
    for p in paths[1:]:
        out = out.join(p)
    return out


def walk(body: list, path: Path, ctx_name: str, out: list) -> Path | None:
    """Walk a block; returns the Path that leaves it by its end (None: no path does)."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, ast.Return):
            out.append((stmt, step(path, stmt, ctx_name) if stmt.value is not None else path))
            return None
        if isinstance(stmt, ast.Raise):
            return None
        if isinstance(stmt, ast.If):
            path = step(path, stmt.test, ctx_name)
            test = ast.dump(stmt.test)
            sides = [walk(stmt.body, replace(path, cond=path.cond | {(test, True)}), ctx_name, out),
                     walk(stmt.orelse, replace(path, cond=path.cond | {(test, False)}), ctx_name, out)]
            through = join_all(sides)
            if through is None:
                return None
            if sum(s is not None for s in sides) == 1:  # only one side goes on: the path after the `if` is that side's
                path = replace(through, cond=path.cond | {(test, sides[0] is not None)})
            else:
                path = replace(through, cond=path.cond)
            continue
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            # zero or more passes (twice: what a pass makes names hold reaches the next), `break` leaves early
            header = stmt.iter if isinstance(stmt, (ast.For, ast.AsyncFor)) else stmt.test
            entry = step(path, header, ctx_name)
            if isinstance(stmt, (ast.For, ast.AsyncFor)):
                entry = step(entry, ast.Assign(targets=[stmt.target], value=stmt.iter), ctx_name)
            once = join_all([entry, walk(stmt.body, entry, ctx_name, out)])
            twice = join_all([once, walk(stmt.body, once, ctx_name, out)])
            path = replace(twice, marks=twice.marks | marks_in(stmt.body, ctx_name, path.cond), cond=path.cond)
            path = join_all([path, walk(stmt.orelse, path, ctx_name, out)])
            continue
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                path = step(path, item, ctx_name)
            path = walk(stmt.body, path, ctx_name, out)
            if path is None:
                return None
            continue
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            # any statement of the body may raise into a handler: the handlers start from every mark the body makes
            after_body = walk(stmt.body, path, ctx_name, out)
            inside = join_all([path, after_body])
            inside = replace(inside, marks=inside.marks | marks_in(stmt.body, ctx_name, path.cond))
            ends = [walk(stmt.orelse, after_body, ctx_name, out) if after_body is not None else None]
            ends += [walk(h.body, inside, ctx_name, out) for h in stmt.handlers]
            through = join_all(ends)
            if stmt.finalbody:
                final = walk(stmt.finalbody, join_all([inside, through]), ctx_name, out)
                if final is None or through is None:
                    return None
                path = final
            elif through is None:
                return None
            else:
                path = through
            continue
        if isinstance(stmt, ast.Match):
            path = step(path, stmt.subject, ctx_name)
            path = join_all([path] + [walk(case.body, path, ctx_name, out) for case in stmt.cases])
            continue
        path = step(path, stmt, ctx_name)
    return path


def marks_made(stmt: ast.AST, ctx_name: str, cond: frozenset) -> frozenset:
    """The tensors a simple statement marks dirty (`ctx.mark_dirty(x, y)`; a starred argument names none)."""
    out = set()
    for node in [stmt, *own_nodes_of(stmt)]:
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
