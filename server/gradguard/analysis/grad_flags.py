"""`with torch.set_grad_enabled(flag):` walked as `if flag:` with grad mode on, else with it off: two paths, and in
each the block's own `if flag:` (`if ... and flag:`, `if not flag:`) takes the side the flag's value decides.

The transfer-learning loop's `set_grad_enabled(phase == "train")` then `if phase == "train": loss.backward()`, and
3FabRec's `set_grad_enabled(self.args.train_encoder)` then `if ... and self.args.train_encoder:
self.update_encoding(z)`: walked once with grad mode unknown (Tri.MAYBE), what the forward saved is not known to be
kept, and a step that breaks the backward() of that body is reported only as depending on the caller; yet on every
path where the step runs, grad mode is on. Two paths are what an `if flag:` around the block would give.

Only a flag the block does not assign (a name, an attribute path, or a comparison of them with constants); a
function called in the block walks without it.
"""

from __future__ import annotations

import ast

from .values import GradCtx, Tri, join_states

FLAG_PARTS = (ast.Name, ast.Attribute, ast.Constant, ast.Compare, ast.Load, ast.cmpop)


def split_flag(context: ast.AST, value, body: list) -> str | None:
    """The flag of `with torch.set_grad_enabled(flag):` (`value`: what `context` evaluated to) to walk the block
    once per value, as `ast.dump`; None for any other context, or a flag not plain or assigned in the block."""
    if not isinstance(value, GradCtx) or value.enabled is not Tri.MAYBE or not isinstance(context, ast.Call) or \
            len(context.args) + len(context.keywords) != 1:
        return None
    name = getattr(context.func, "attr", getattr(context.func, "id", None))
    flag = context.args[0] if context.args else context.keywords[0].value
    if name != "set_grad_enabled" or not all(isinstance(n, FLAG_PARTS) for n in ast.walk(flag)) or \
            assigned_in(body, flag):
        return None
    return ast.dump(flag)


def assigned_in(body: list, flag: ast.AST) -> bool:
    """Does the block store to a name or attribute path the flag reads (`phase = ...`, `self.args.x = ...`)?"""
    read = {ast.unparse(n) for n in ast.walk(flag) if isinstance(n, (ast.Name, ast.Attribute))}
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)) and \
                    any(r == ast.unparse(node) or r.startswith(ast.unparse(node) + ".") for r in read):
                return True
    return False


def decided(test: ast.AST, flags: tuple) -> bool | None:
    """The side of `if test:` that the flags' values take ((dump, value) pairs of the blocks around), or None."""
    for flag, value in flags:
        if ast.dump(test) == flag:
            return value
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and ast.dump(test.operand) == flag:
            return not value
        if isinstance(test, ast.BoolOp) and any(ast.dump(v) == flag for v in test.values) and \
                value is not isinstance(test.op, ast.And):
            return value  # `a and flag` with the flag false, `a or flag` with it true
    return None


def run_per_flag(walker, node: ast.With, state, flag: str):
    """The block of `with torch.set_grad_enabled(flag):` walked twice, as the two sides of an `if flag:`."""
    flags, side = walker.grad_flags, (walker.start_id, id(node), walker.loop_pass)
    paths = state.fork(2)
    for i, value in enumerate((True, False)):
        paths[i].grad, paths[i].branch = Tri.YES if value else Tri.NO, state.branch + (side + (i,),)
        walker.grad_flags = flags + ((flag, value),)
        paths[i] = walker.run_block(node.body, paths[i])
    walker.grad_flags = flags
    out = join_states(paths, consume=True)
    out.fork_token, out.parent_recent, out.branch = state.fork_token, state.parent_recent, state.branch
    return out
