"""Lists a called function fills: `def add_if_not_none(module_list, module): if module is not None:
module_list.append(module)` changes the caller's list (or nn.ModuleList), which the walk models as a new value
bound to the callee's parameter. When the callee never binds the parameter anew, the caller's object is the one
that changed: the caller's name takes what the parameter holds when the callee returns."""

from __future__ import annotations

import ast

from .names import dotted, nn_class
from .values import ModuleVal, Seq


def filled_arguments(fn: ast.AST, call: ast.Call, args: list, kwargs: dict, skipped: int, callee_env) -> list:
    """(argument expression, value) for each list or ModuleList the caller passed by name (`block`,
    `self.layers`) that the callee `fn` filled in place. `args`, `kwargs`: the values passed; the callee's first
    `skipped` parameters took others (the instance of a method)."""
    if not any(v.__class__ is Seq or v.__class__ is ModuleVal for v in args) and \
            not any(v.__class__ is Seq or v.__class__ is ModuleVal for v in kwargs.values()):
        return []  # no list or module passed: nothing the callee could have filled
    if not isinstance(call, ast.Call) or any(isinstance(node, ast.Starred) for node in call.args) or \
            len(call.args) != len(args):
        return []
    params = [p.arg for p in fn.args.posonlyargs + fn.args.args][skipped:]
    pairs = list(zip(params, call.args, args))
    pairs += [(k.arg, k.value, kwargs.get(k.arg)) for k in call.keywords if k.arg is not None]
    filled = []
    for name, node, before in pairs:
        if not (isinstance(node, ast.Name) or isinstance(node, ast.Attribute) and dotted(node)):
            continue
        after = callee_env.get(name)
        if after is None or after is before:
            continue
        if isinstance(before, Seq) and before.mutable and isinstance(after, Seq) and after.mutable or \
                isinstance(before, ModuleVal) and isinstance(after, ModuleVal) and before.id == after.id and \
                before.cls is None and before.kind in ("ModuleList", "Sequential"):
            filled.append((name, node, after))
    if not filled:
        return []  # the common case: nothing to check the callee's body for (a walk of it per call cost 5 %)
    rebound = assigned_names(fn)
    return [(node, after) for name, node, after in filled if name not in rebound]


def assigned_names(fn: ast.AST) -> frozenset:
    """The names `fn` binds anywhere in its body (assignments, loop targets, `with ... as`, nested defs' names):
    a parameter among them may hold another object than the caller's. Kept on the node."""
    cached = fn.__dict__.get("_gg_assigned")
    if cached is None:
        found = set()
        for node in ast.walk(fn):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                found.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not fn:
                found.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                found.update(node.names)
        cached = fn._gg_assigned = frozenset(found)
    return cached


LIST_FILLING = frozenset({"append", "extend", "insert", "add_module"})


def fills_arguments_only(fn: ast.AST) -> bool:
    """A helper of a few statements whose only calls add to its own parameters (`if module is not None:
    module_list.append(module)`): walked at any call depth, as it costs nothing and calls nothing further. Kept on
    the node."""
    cached = fn.__dict__.get("_gg_fills_only")
    if cached is None:
        cached = False
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and len(fn.body) <= 3:
            nodes = list(ast.walk(fn))
            params = {p.arg for p in fn.args.posonlyargs + fn.args.args}
            calls = [n for n in nodes if isinstance(n, ast.Call)]
            cached = len(nodes) <= 40 and bool(calls) and \
                all(isinstance(c.func, ast.Attribute) and c.func.attr in LIST_FILLING and
                    isinstance(c.func.value, ast.Name) and c.func.value.id in params for c in calls)
        fn._gg_fills_only = cached
    return cached


def builds_modules_only(fn: ast.AST, imports) -> bool:
    """A helper of a few statements whose only calls build torch.nn modules (`def _dropout(self): return
    nn.Dropout2d(self.p, inplace=True)`), or one that picks the module by a name it is given (`def get_act(name):
    if name.lower() == 'relu': act = nn.ReLU(inplace=True) elif ...: ... else: raise ValueError(name); return
    act`): walked at any call depth, as it calls nothing further. A model's `__init__` reaches such a leaf through a
    chain of block builders deeper than the walk's call limit. Kept on the node (one file's imports decide it)."""
    cached = fn.__dict__.get("_gg_builds_only")
    if cached is None:
        cached = False
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = fn.body[1:] if fn.body and is_docstring(fn.body[0]) else fn.body
            nodes = list(ast.walk(fn))
            calls = [n for n in nodes if isinstance(n, ast.Call)]
            builds = [c for c in calls if nn_class(imports.qualname(c.func))]
            if len(fn.body) <= 3 and len(nodes) <= 60:
                cached = bool(calls) and len(builds) == len(calls)
            elif len(body) <= 3 and len(nodes) <= MAX_DISPATCH_NODES and builds:
                params = {p.arg for p in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
                raised = {id(n.exc) for n in nodes if isinstance(n, ast.Raise) and n.exc is not None}
                cached = all(c in builds or id(c) in raised or name_test(c, params) for c in calls)
        fn._gg_builds_only = cached
    return cached


# nodes of a helper that picks a module by name (an if/elif chain over a few activations)
MAX_DISPATCH_NODES = 240
STR_TESTS = frozenset({"lower", "upper", "casefold", "strip", "startswith", "endswith"})


def is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def name_test(call: ast.Call, params: set) -> bool:
    """`name.lower()`, `kind.startswith("leaky")`: a str method of a parameter, which calls no code of the project."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in STR_TESTS and isinstance(func.value, ast.Name) and \
        func.value.id in params and all(isinstance(a, ast.Constant) for a in call.args) and not call.keywords


def leaf_helper(fn: ast.AST, imports) -> bool:
    """A helper the call limit does not stop: it calls nothing the walk would follow further."""
    return fills_arguments_only(fn) or builds_modules_only(fn, imports)
