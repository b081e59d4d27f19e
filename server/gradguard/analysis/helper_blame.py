"""Where a change made inside a helper of the file is reported: on the helper's line (what the fix changes) or at
the call that passed the tensor (checker.Reporter.add)."""

from __future__ import annotations

import ast

# Codes of a tensor changed in place that autograd rejects (a leaf, a saved tensor, an argument): reported where a
# helper of the file changes it. A silent `.data`/NumPy write (GG4, whose fix moves the call after backward()) and a
# second backward (GG5) stay at the call, but for a helper that returns what it wrote (returns_changed).
CHANGED_IN_HELPER = {"GG1", "GG2"}


def saved_inside(fix: dict | None, fn: ast.AST) -> bool:
    """Did an op of `fn` itself save the tensor that `fn` then changes (`t.div_(t.norm())`)? Then `fn` breaks
    backward whatever its caller passes."""
    save = (fix or {}).get("save")
    line = getattr(getattr(save, "node", None), "lineno", 0)
    return fn.lineno <= line <= (fn.end_lineno or fn.lineno) and \
        getattr(save.node, "_gg_file", None) is getattr(fn, "_gg_file", None)


def written_name(node: ast.AST) -> str | None:
    """The name a `.data` write goes through: `x` of `x.data += 1`, `x.data[:, c] = v`, `x[i].data *= s`."""
    target = node.target if isinstance(node, ast.AugAssign) else \
        node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
        node.func if isinstance(node, ast.Call) else node if isinstance(node, (ast.Attribute, ast.Subscript)) else None
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def returns_changed(node: ast.AST, fn: ast.AST) -> bool:
    """A helper that writes through `.data` to the tensor it returns (`delta = normalize(delta)`, whose body does
    `delta.data *= 0.5; return delta`): a transformation of its argument written in place, fixed in the helper (out
    of place), not by moving the call. A helper that returns nothing (`jitter(t)`) is a change the call asks for."""
    name = written_name(node)
    if name is None or not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for sub in ast.walk(fn):
        if isinstance(sub, ast.Return) and sub.value is not None:
            values = sub.value.elts if isinstance(sub.value, ast.Tuple) else [sub.value]
            if any(isinstance(v, ast.Name) and v.id == name for v in values):
                return True
    return False
