"""Entry methods a class inherits: `class LSTM(BaseRNN)` runs BaseRNN.forward with its own `self`, whose
`self.forward_cell(...)` is LSTM's. Each is a unit of the class's file (checker.units_of), walked with that `self`.

The base class may be another workspace file's (base_classes.py puts it in the file's class table): keras-core's
`class Add(Merge)` in add.py, whose `_merge_function` the `call` of base_merge.py's Merge calls. Its entry method is
walked for the subclass only when the subclass defines a method that the entry method calls on `self` (directly, or
through the base classes' own methods): otherwise the walk is the base's own, which its file reports. What the
walk finds on the base's lines is not reported in the subclass's file (checker.Reporter.add on `_gg_file`); what it
finds in the subclass's own methods is.
"""

from __future__ import annotations

import ast

from .context import find_method
from .training import entry_methods, inherited_entry_role, summary

MAX_BASE_METHODS = 8  # methods of another file's base classes read for the subclass's hooks, per entry method


def inherited_units(tree: ast.Module, info, table: dict | None = None) -> list[tuple]:
    """("inherited", entry method, class name) for each entry method a class of the file inherits from a base class
    of the file, or of another workspace file (in `table`, the file's class table with those) when it calls one of
    the class's own methods on `self`."""
    table = info.classes if table is None else table
    units = []
    entries = entry_methods(tree)
    for cls in info.every_class:
        if info.classes.get(cls.name) is None or info.classes[cls.name].node is not cls:
            continue  # a nested class or one defined twice: not the one the name reads
        own = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for entry in entries:
            found = None if entry in own else find_method(table, cls.name, entry)
            if found is None:
                continue
            owner, fn = found
            if owner in info.classes or hooks_called(table, cls.name, own, fn) and \
                    inherited_entry_role(fn, table[owner].node, entries) is not None:
                units.append(("inherited", fn, cls.name))
    return units


def hooks_called(table: dict, cls: str, own: set, fn) -> bool:
    """Does `fn`, an entry method of a base class of another file, call on `self` one of `own` (the methods `cls`
    defines), itself or through the methods of the base classes that it calls?"""
    todo, seen = [fn], {fn}
    while todo:
        current = todo.pop()
        calls = summary(current).self_calls
        if calls & own:
            return True
        for name in sorted(calls):
            found = find_method(table, cls, name)
            if found is not None and found[1] not in seen and len(seen) < MAX_BASE_METHODS:
                seen.add(found[1])
                todo.append(found[1])
    return False


def owner_role(ctx, info, fn, owner: str | None, lines: list[str] | None):
    """The training role of `fn`, walked on its own: the file's (training.training_roles), or for an entry method of
    a base class of another file (`owner`, its key in the class table), what that file gives it."""
    role = info.training_roles(lines).get(fn)
    if role is None and owner is not None and getattr(fn, "_gg_file", None) is not None:
        base = ctx.class_table.get(owner)
        if base is not None:
            role = inherited_entry_role(fn, base.node, entry_methods(info.tree))
    return role
