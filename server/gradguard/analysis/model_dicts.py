"""Networks held in a dict by string key: `self.models["encoder"] = Encoder(...)`, the optimizers built over the
parameters of the keys that name them (`for key in self.models.keys(): if "discr" in key: ...`), the networks
called by key (`self.models["decoder"](features)`).

A dict whose keys are all known (a literal, or `{}` given items under literal keys) is walked key by key: what a
`for` over its keys does for each key is what the program does, in insertion order. A network built by code the
walk cannot see is named by its key (`self.models['encoder']`), as `self.encoder` names one held in an attribute.
"""

from __future__ import annotations

import ast

from .syntax import const_key, dotted
from .values import ConstStr, DictVal, Seq

# the views of a dict a `for` walks key by key; None: the dict itself (its keys)
DICT_VIEWS = (None, "keys", "values", "items")


def string_key(slice_node: ast.AST, index) -> str | None:
    """The key of `d["encoder"]`, or of `d[key]` with `key` bound to a string the walk knows (a `for` over the
    dict's keys): None for any other index."""
    key = const_key(slice_node)
    if isinstance(key, str):
        return key
    return index.value if isinstance(index, ConstStr) else None


def model_key(node: ast.AST, env) -> str | None:
    """The name of the network `node` holds: `model`, `self.qf1` (dotted), or an item of a dict of networks held
    under a dotted name by a string key, `self.models['encoder']` (also for `self.models[key]` with `key` bound to
    "encoder"). None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript):
        holder = dotted(node.value) or (node.value.id if isinstance(node.value, ast.Name) else None)
        index = env.get(node.slice.id) if isinstance(node.slice, ast.Name) and env is not None else None
        key = string_key(node.slice, index)
        return f"{holder}[{key!r}]" if holder is not None and key is not None else None
    return dotted(node)


def dict_loop_entries(walker, iter_node: ast.AST, state) -> list | None:
    """What each pass of `for ... in d` / `d.keys()` / `d.values()` / `d.items()` binds, in order, when `d` is a
    dict held under a name whose keys the walk all knows: the keys as strings, the values, or (key, value) pairs.
    None for any other loop (its iterable is then evaluated by the caller, once)."""
    view, held = None, iter_node
    if isinstance(iter_node, ast.Call) and isinstance(iter_node.func, ast.Attribute) and \
            iter_node.func.attr in DICT_VIEWS and not iter_node.args and not iter_node.keywords:
        view, held = iter_node.func.attr, iter_node.func.value
    if not (isinstance(held, ast.Name) or dotted(held) is not None):
        return None  # only a name is read twice without doing anything
    table = walker.expr(held, state)
    if not isinstance(table, DictVal) or table.base is not None or table.some is not None or not table.items or \
            not all(isinstance(k, str) for k, _ in table.items):
        return None
    if view == "values":
        return [v for _, v in table.items]
    if view == "items":
        return [Seq((ConstStr(k), v)) for k, v in table.items]
    return [ConstStr(k) for k, _ in table.items]
