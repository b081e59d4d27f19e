"""An optimizer that a method other than `__init__` builds and keeps on the instance (Keras-style models:
`def compile(self, optimizer): self.optim = self._get_optim(optimizer)`, where `_get_optim` returns
`torch.optim.Adam(self.parameters(), ...)` for a string), read back by the training method (`fit`: `optim =
self.optim; ...; optim.step()`).

A training method walked on its own sees `self` as `__init__` built it (scopes.build_canonical), where that
attribute is not set yet: its step() would be of an unknown optimizer. Here, for each attribute that only methods
other than `__init__` set (or that `__init__` sets to None), and that each of them sets to an optimizer constructor
of the instance's own parameters, directly or through a method of the class that returns one, the constructor is
evaluated with `self` bound to the instance: the attribute is that optimizer. A constructor whose parameters come
from the setter's arguments is not evaluated: what they are is the caller's.
"""

from __future__ import annotations

import ast

from .optimizers import some_optimizer
from .values import Env, ModuleVal, NoneVal, Optimizer, State, Unknown
from ..pyparse import own_nodes

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def self_name(fn) -> str | None:
    args = fn.args.posonlyargs + fn.args.args
    return args[0].arg if args else None


def constructor_name(func: ast.AST) -> bool:
    """`torch.optim.Adam`, `optim.SGD`, `Adam` (imported from torch.optim): a capitalised name, which the walk then
    confirms is an optimizer's class."""
    if isinstance(func, ast.Name):
        return func.id[:1].isupper()
    return isinstance(func, ast.Attribute) and func.attr[:1].isupper() and \
        (isinstance(func.value, ast.Attribute) and func.value.attr == "optim" or
         isinstance(func.value, ast.Name) and func.value.id == "optim")


def optimizer_calls(fn, me: str) -> list[ast.Call]:
    """The calls in `fn` that may build an optimizer of `me`'s parameters (constructor_name) whose parameters
    argument names `me` (`self.parameters()`, `self.net.parameters()`) and no other name."""
    found = []
    for node in own_nodes(fn):
        if not isinstance(node, ast.Call) or not constructor_name(node.func):
            continue
        params = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "params"), None)
        names = {n.id for n in ast.walk(params) if isinstance(n, ast.Name)} if params is not None else set()
        if names and names <= {me, "list", "filter", "itertools", "chain"}:
            found.append(node)
    return found


def returned_optimizer_calls(fn) -> list[ast.Call]:
    """The optimizer constructors (optimizer_calls) that `fn` returns: `return torch.optim.Adam(...)`, or a name
    one of them is assigned to that `fn` returns (`optim = torch.optim.Adam(...)` ... `return optim`)."""
    me = self_name(fn)
    if me is None:
        return []
    calls = optimizer_calls(fn, me)
    if not calls:
        return []
    returned = {id(n.value) for n in own_nodes(fn) if isinstance(n, ast.Return) and n.value is not None}
    names = {n.value.id for n in own_nodes(fn) if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)}
    bound = {id(n.value) for n in own_nodes(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id in names}
    return [c for c in calls if id(c) in returned or id(c) in bound]


def setters(cls: ast.ClassDef) -> dict[str, list]:
    """attribute -> [(method, value node)] for each `self.X = value` in a method other than `__init__`."""
    found: dict[str, list] = {}
    for fn in cls.body:
        if not isinstance(fn, FUNCTIONS) or fn.name == "__init__":
            continue
        me = self_name(fn)
        for node in own_nodes(fn):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Attribute) and isinstance(node.targets[0].value, ast.Name) and \
                    node.targets[0].value.id == me:
                found.setdefault(node.targets[0].attr, []).append((fn, node.value))
    return found


def constructor_of(fn, value: ast.AST, methods: dict) -> tuple | None:
    """(method, constructor call) that `value`, assigned in `fn`, is: the constructor itself, or a call of a method
    of the class (`self._get_optim(optimizer)`) that returns one. None otherwise."""
    me = self_name(fn)
    if not isinstance(value, ast.Call) or me is None:
        return None
    direct = [c for c in optimizer_calls(fn, me) if c is value]
    if direct:
        return fn, value
    func = value.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == me and \
            func.attr in methods:
        calls = returned_optimizer_calls(methods[func.attr])
        if calls:
            return methods[func.attr], calls[0]
    return None


def mentions_optim(info) -> bool:
    """Does the file's text name `optim` at all (`torch.optim.Adam`, `from torch.optim import Adam`; unknown text:
    maybe)? Only then are the class's methods read. Kept on the FileInfo."""
    lines = getattr(info, "lines", None)
    if lines is None:
        return True
    found = info.__dict__.get("_gg_optim")
    if found is None:
        found = info._gg_optim = any("optim" in line for line in lines)
    return found


def attach_set_optimizers(walker, mod: ModuleVal, cls: ast.ClassDef, state: State) -> None:
    """Set the instance's attributes that other methods set to optimizers of its parameters (see above)."""
    attrs = walker.ctx.instance_attrs.get(mod.id)
    if attrs is None or not mentions_optim(walker.ctx.info):
        return
    methods = {n.name: n for n in cls.body if isinstance(n, FUNCTIONS)}
    for attr, sets in setters(cls).items():
        if attr in attrs and not isinstance(attrs[attr], (Unknown, NoneVal)):
            continue
        built = [constructor_of(fn, value, methods) for fn, value in sets]
        if not built or any(b is None for b in built):
            continue
        optimizers = []
        for host, call in built:
            inner = state.copy(env=Env({self_name(host): mod}))
            value = walker.expr(call, inner)
            state.objs.update(inner.objs)
            if not isinstance(value, Optimizer) or not value.modules:
                break
            optimizers.append(value)
        else:
            attrs[attr] = optimizers[0] if len(optimizers) == 1 else some_optimizer(optimizers)
