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

from .context import find_method, lookup_order
from .training import Role, entry_methods, inherited_entry_role, summary

MAX_BASE_METHODS = 8  # methods of another file's base classes read for the subclass's hooks, per entry method
MAX_STEP_METHODS = 24  # methods read for a method that reaches a base class's backward() (steps_through_bases)


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
    if role is None and owner is not None and owner in info.classes and getattr(fn, "_gg_file", None) is None and \
            steps_through_bases(ctx.class_table, owner, fn):
        role = Role(inputs_require_grad=False)
    return role


def steps_through_bases(table: dict, cls: str, fn) -> bool:
    """Does `fn`, a method of `cls`, call backward() through the methods it calls on `self` that a base class of
    another workspace file defines (`self.take_optimisation_step(optimizer, network, loss)` of Base_Agent, which
    calls `loss.backward()` and `optimizer.step()`)? Then it is a training step: grad mode is on in it. The file's
    own methods are training.training_roles's; this looks further, through at most MAX_STEP_METHODS methods."""
    if not summary(fn).self_calls or not any("@" in name for name in lookup_order(table, cls)):
        return False  # no base class of another file (base_classes.foreign_key): training_roles saw them all
    todo, seen = [fn], {fn}
    while todo:
        current = todo.pop()
        facts = summary(current)
        if current is not fn and facts.calls_backward:
            return True
        for name in sorted(facts.self_calls):
            found = find_method(table, cls, name)
            if found is not None and found[1] not in seen and len(seen) < MAX_STEP_METHODS:
                seen.add(found[1])
                todo.append(found[1])
    return False

