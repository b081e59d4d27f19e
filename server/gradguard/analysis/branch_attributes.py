"""What a module's attribute holds on the side of an `if` that does not set it.

A method reads `self.v_mem` from the module's state (instance_attrs) until it assigns it; only then does the name
enter the walk's names. An `if` whose body assigns it (`if self.v_mem.shape != x.shape: self.v_mem =
torch.zeros_like(x)`, the lazy state of a spiking layer or a recurrent cell) then joined the body's value with
nothing from the other side, and the path that skips the body, where the state still holds the previous call's
tensor, was lost: the graph that tensor carries from the previous iteration (GG502), or the weights an optimizer
step changed since (GG201), went unseen. Before the walk forks at such an `if`, each module attribute its blocks
assign (or register as a buffer, by a constant name) that holds a tensor and is not yet one of the walk's names is
read into them, as the body would have read it: the join then keeps both. Not for a settled test (a configuration:
settled_test), which every call takes the same way.

The other way round, a write in the body also went straight to the module's state, which no join looks at: a
training loop's `if step % 100 == 99: model.h = None` left every later call of forward reading None, as if the
state were reset on every iteration. After the join, each such attribute's state is what the joined names hold.
"""

from __future__ import annotations

import ast

from .syntax import buffer_name
from .values import ModuleVal, Ref

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def assigned_attributes(node: ast.If) -> tuple:
    """(name, attribute, 'name.attribute') of the `name.attribute = ...` targets in the blocks of `node`, nested
    statements included, nested definitions not. Cached on the node, and on each `if` nested in it, which are
    done first and then read as a whole: an `elif` chain of n tests costs n, not n squared."""
    found = node.__dict__.get(_CACHE)
    if found is None:
        ifs, todo = [], [node]
        while todo:  # the uncached `if`s of the blocks, outer ones first
            n = todo.pop()
            if isinstance(n, ast.If):
                if _CACHE in n.__dict__:
                    continue
                ifs.append(n)
            todo.extend(_inner(n))
        for n in reversed(ifs):
            n._gg_branch_attrs = _own(n)
        found = node.__dict__[_CACHE]
    return found


_CACHE = "_gg_branch_attrs"


def _inner(n: ast.AST) -> list:
    """The statements (handlers, cases) right inside `n`, not those of a nested definition."""
    if isinstance(n, _NESTED):
        return []
    if isinstance(n, (ast.excepthandler, ast.match_case)):
        return list(n.body)
    return [c for c in ast.iter_child_nodes(n) if isinstance(c, (ast.stmt, ast.excepthandler, ast.match_case))]


def _own(node: ast.If) -> tuple:
    """assigned_attributes of `node`, its nested `if`s read from their cache."""
    seen: dict = {}
    todo = list(node.body) + list(node.orelse)
    while todo:
        n = todo.pop()
        if isinstance(n, ast.If):
            for name, attr, key in n.__dict__[_CACHE]:
                seen.setdefault(key, (name, attr))
            continue
        targets = n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(
            n, (ast.AugAssign, ast.AnnAssign)) else ()
        for target in targets:
            for t in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name):
                    seen.setdefault(f"{t.value.id}.{t.attr}", (t.value.id, t.attr))
        registered = registered_buffer(n)
        if registered is not None:
            seen.setdefault(f"{registered[0]}.{registered[1]}", registered)
        todo.extend(_inner(n))
    return tuple((name, attr, key) for key, (name, attr) in seen.items())


def registered_buffer(stmt: ast.AST) -> tuple[str, str] | None:
    """(name, buffer) of `name.register_buffer("buffer", ...)` as a statement: it sets the attribute as an assignment
    would (modules.register_buffer)."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    name = buffer_name(call) if call is not None and getattr(call, "args", None) else None
    if name is not None and name.isidentifier() and isinstance(call.func.value, ast.Name):
        return call.func.value.id, name
    return None


_SETTLED_NODES = (ast.BoolOp, ast.UnaryOp, ast.Compare, ast.Attribute, ast.Name, ast.Constant, ast.Load, ast.And,
                  ast.Or, ast.Not, ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot, ast.Tuple, ast.List)


def settled_test(test: ast.AST, assigned: set) -> bool:
    """Is `test` one that every call takes the same way: names and attributes (not one the `if` assigns) tested
    against constants, as a configuration is (`if self.opt.gan_type == "re_avg_gan":`)? Then either every call runs
    the body or none does, and the side that skips it never reads what an earlier call's body stored (as
    rebound_names says of a loop's names): the attribute is not read in. A call, an index or arithmetic
    (`x.shape[0] == 0`, `step % 100 == 99`), or the attribute itself, can change from call to call."""
    for n in ast.walk(test):
        if not isinstance(n, _SETTLED_NODES):
            return False
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and f"{n.value.id}.{n.attr}" in assigned:
            return False
    return True


def read_before_branch(walker, node: ast.If, state) -> None:
    """Put in the walk's names the tensor each module attribute assigned in `node`'s blocks holds now, where the
    names do not have it yet (see the module's docstring)."""
    attributes = assigned_attributes(node)
    if not attributes or settled_test(node.test, {key for _, _, key in attributes}):
        return
    for name, attr, key in attributes:
        if key in state.env:
            continue
        base = state.env.get(name)
        if base.__class__ is not ModuleVal or not base.cls:
            continue
        held = walker.ctx.instance_attrs.get(base.id, {}).get(attr)
        if held.__class__ is Ref:
            state.env[key] = walker.module_attr(base, attr, node, state)


def settled_after_branch(walker, node: ast.If, state):
    """`state` (the join after `node`), with the module state of each attribute assigned in `node`'s blocks set to
    what the joined names hold for it (see the module's docstring)."""
    for name, attr, key in assigned_attributes(node):
        base = state.env.get(name)
        if base.__class__ is not ModuleVal or not base.cls:
            continue
        attrs = walker.ctx.instance_attrs.get(base.id)
        value = state.env.get(key)
        if attrs is not None and value is not None and attrs.get(attr) is not value:
            attrs[attr] = value
    return state
