"""What reaches a function where the walk does not go in: gradguard/callers.py's probe (ModuleContext.probe) reads the
arguments of every call of its function, followed or not. A caller's walk stops at a function of another file once
the scope's budget of foreign lines is spent (a training step that went through a network and a data module first),
or at the depth limit: the arguments at the call are still known, and they are what the caller passes."""

from __future__ import annotations

from .syntax import decorator_grad, is_staticmethod
from .values import Env, Frame, FuncVal, State


def probe_unfollowed(walker, fn: FuncVal, context_of, args, kwargs, node, state: State) -> None:
    """Call the walk's probe as call_function would on entering `fn` (arguments bound by name, the decorator's grad
    mode), when it wants that function. `context_of()`: the ModuleContext of the function's file (made only then)."""
    probe, target = walker.ctx.probe, fn.node
    if not getattr(probe, "wants", None) or not probe.wants(target) or not hasattr(target, "args"):
        return
    inner = state.copy(env=Env())
    params = [p.arg for p in target.args.posonlyargs + target.args.args]
    given = ([fn.bound] if fn.bound is not None and not is_staticmethod(target) else []) + list(args)
    for name, value in zip(params, given):
        inner.env[name] = value
    for name in params[len(given):] + [p.arg for p in target.args.kwonlyargs]:
        if name in kwargs:
            inner.env[name] = kwargs[name]
    grad = decorator_grad(target, context_of().imports)
    if grad is not None:
        inner.grad = grad
    probe(target, inner, walker.frames + (Frame(node, target, target.name),))
