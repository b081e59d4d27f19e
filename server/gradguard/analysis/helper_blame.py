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


def stepping_frame(via: tuple, event) -> int | None:
    """An optimizer's step inside helpers that were handed the optimizer (`self.take_optimisation_step(
    self.critic_optimizer, self.critic, critic_loss)`, whose body ends in `optimizer.step()`): the index in `via`
    (outermost first) of the call that passes the optimizer in from code that holds it itself. That call asks for
    the step, and where it stands among the backward() calls is what the fix moves (the helper is right for any
    order), as for a `.data` write. None when the innermost helper did not receive the optimizer as an argument (it
    steps its own, or one of `self`)."""
    if not via or getattr(event, "kind", None) != "optimizer":
        return None
    name = stepped_name(event.node)
    found = None
    for i in range(len(via) - 1, -1, -1):
        frame = via[i]
        passed = argument_passed(frame.inner, frame.call, name) if name is not None else None
        if passed is None:
            break
        found = i
        name = passed.id if isinstance(passed, ast.Name) else None
        if name is None:
            break
    return found


def stepped_name(node: ast.AST) -> str | None:
    """The name of the optimizer a step call steps: `optimizer` of `optimizer.step()` or `scaler.step(optimizer)`."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.func.attr != "step":
        return None
    target = node.args[0] if node.args else node.func.value
    return target.id if isinstance(target, ast.Name) else None


def argument_passed(fn: ast.AST, call: ast.AST, name: str) -> ast.expr | None:
    """What `call` passes for the parameter `name` of `fn` (a method called on an object skips its `self`); None
    when `name` is no parameter of `fn`, or the call does not pass it by position or keyword."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or not isinstance(call, ast.Call):
        return None
    args = fn.args
    positional = [p.arg for p in args.posonlyargs + args.args]
    if name not in positional and name not in {p.arg for p in args.kwonlyargs}:
        return None
    if isinstance(call.func, ast.Attribute) and positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if name in positional:
        index = positional.index(name)
        if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
            return call.args[index]
    return None


def change_made_here(fix: dict | None, node: ast.AST) -> dict | None:
    """The fix context of a change reported where it is made, in this file, to a tensor made in another file (the
    output of a block whose ReLU is in conv.py, then `x += connection` here): the fixes that edit the change itself
    (`x = x + connection`) need nothing of that file. None when the change, or the module that makes it, is there."""
    event = (fix or {}).get("event")
    if event is None or event.node is not node or getattr(node, "_gg_file", None) is not None or \
            getattr(event.module_node, "_gg_file", None) is not None or \
            getattr(fix.get("node"), "_gg_file", None) is not None:
        return None
    # only what the fixes read: the flags the reporter filters on (`by_default`, `caller_assumed`) stay off, as they
    # were for every finding of a tensor made elsewhere, so that which findings are reported does not change
    return {k: v for k, v in fix.items() if k not in ("by_default", "caller_assumed")} | {"origin_elsewhere": True}
