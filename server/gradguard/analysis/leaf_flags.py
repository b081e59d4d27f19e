"""Setting `requires_grad` on a tensor: a leaf becomes one that requires grad; a tensor an op made is refused.

torch 2.13 lets only a leaf change its flag: `y.requires_grad = True` (or `= False`, or `y.requires_grad_(False)`)
of a tensor with a grad_fn raises "you can only change requires_grad flags of leaf variables." (GG104), whatever
the grad mode. `y.requires_grad_()` / `requires_grad_(True)` of such a tensor changes nothing and passes: it stays a
tensor with a history, not a leaf (a later `y.add_(1)` is no GG101).

The adversarial-attack loop is where real code meets it: `x_adv.requires_grad = True` at the top of a PGD loop
whose body ends with `x_adv = x_adv + alpha * grad.sign()` (no `.detach()`), raising on the second iteration;
torchattacks' DeepFool wrote an image that required grad into a slice of the batch, so the next slice (a view of a
base with a history) was refused.

Reported only for a tensor the walk knows has a history for sure: made by ops from tensors that require grad for
sure (not by the training assumption, not an argument or an item of one, not a parameter, nor what an unseen call
or a conversion that may return the tensor itself gave), with every tensor the name may hold such a one.
"""

from __future__ import annotations

import ast

from ..findings import Severity
from .context import in_later_pass
from .syntax import path_to, root_name
from .values import BoolConst, Ref, Tri

MESSAGE = "you can only change requires_grad flags of leaf variables."


def certain_non_leaf(obj) -> bool:
    """Does this tensor have a grad_fn for sure (an op's output, or a view of a leaf, that requires grad)?"""
    return obj.requires_grad is Tri.YES and not obj.leaf and not obj.detached and obj.param_of is None and \
        not obj.is_argument and not obj.passed_in and not obj.opaque and not obj.maybe_copy and \
        obj.origin is not None and obj.constant is None


def non_leaves(ref: Ref, state) -> list:
    """The tensors `ref` holds when every one of them has a history for sure; else []."""
    objs = [state.obj(oid) for oid in ref.objs]
    return objs if objs and all(certain_non_leaf(obj) for obj in objs) else []


def flag_false_test(test: ast.AST, held: str) -> bool:
    """Is `test` (or one conjunct of an `and` chain) a check that the tensor `held` (its ast.dump) does not require
    grad: `not x.requires_grad`, `x.requires_grad is False` / `== False`, `is not True` / `!= True`?"""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(flag_false_test(v, held) for v in test.values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return flag_test(test.operand, held)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and flag_test(test.left, held) and \
            isinstance(test.comparators[0], ast.Constant) and isinstance(test.comparators[0].value, bool):
        negative = isinstance(test.ops[0], (ast.IsNot, ast.NotEq))
        return isinstance(test.ops[0], (ast.Is, ast.Eq, ast.IsNot, ast.NotEq)) and \
            test.comparators[0].value is negative
    return False


def flag_test(node: ast.AST, held: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "requires_grad" and ast.dump(node.value) == held


def guarded_leaf(walker, target: ast.AST, node: ast.AST) -> bool:
    """Is this flag change inside the side of an `if` where `target` does not require grad (`if not
    x.requires_grad: x.requires_grad = True`, or the `else` of `if x.requires_grad:`), with `target`'s name not
    written on that side before it (nor, in a loop on that side, anywhere)? Then torch only runs it on a leaf:
    a tensor with a grad_fn always requires grad, so the branch the walk joined in from another path (fairchem's
    `if regress_stress: data["pos"] = data["pos"] + ...` and later `if not regress_stress and ... and
    data["pos"].requires_grad is False:`) never reaches it with that tensor."""
    tree = walker.ctx.tree if walker.ctx else None
    root = root_name(target.value if isinstance(target, ast.Subscript) else target)
    path = path_to(tree, node) if tree is not None and root else None
    if not path:
        return False
    held = ast.dump(target)
    for i in range(len(path) - 2, -1, -1):
        branch = path[i]
        if isinstance(branch, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if not isinstance(branch, ast.If):
            continue
        if path[i + 1] in branch.body and flag_false_test(branch.test, held):
            side = branch.body
        elif path[i + 1] in branch.orelse and flag_test(branch.test, held):
            side = branch.orelse
        else:
            continue
        loops = [n for n in path[i + 1:] if isinstance(n, (ast.For, ast.AsyncFor, ast.While))]
        return not any(writes(stmt, root, None if loops else node.lineno) for stmt in side)
    return False


def writes(stmt: ast.AST, root: str, before: int | None) -> bool:
    """Does `stmt` store to `root` (`x = ...`, `x[...] = ...`, `x.a = ...`) or pass it to a call, at a line before
    `before` (anywhere when None)?"""
    for n in ast.walk(stmt):
        if before is not None and getattr(n, "lineno", 0) >= before:
            continue
        if isinstance(n, (ast.Name, ast.Attribute, ast.Subscript)) and isinstance(n.ctx, ast.Store) and \
                root_name(n.value if isinstance(n, ast.Subscript) else n) == root:
            return True
        if isinstance(n, ast.Call) and any(root_name(a) == root for a in [*n.args, *(k.value for k in n.keywords)]):
            return True
    return False


def report(walker, objs: list, target: ast.AST, node: ast.AST, how: str) -> None:
    sink = walker.sink
    name = sink.text(target)
    origin = objs[0].origin
    # made below this line: by the previous iteration of the loop both are in
    later = in_later_pass(walker.loop_pass) and origin is not None and \
        getattr(origin, "_gg_file", None) is getattr(node, "_gg_file", None) and origin.lineno > node.lineno
    sink.add("GG104", node, Severity.ERROR,
             f"`{name}` is not a leaf: an op made it from a tensor that requires grad, so it has a grad_fn; "
             f"{how} raises here: '{MESSAGE}'" + (
                 " (from the loop's second iteration on: the previous one made it)" if later else ""),
             [sink.related(origin, f"`{name}` gets its grad_fn here")] if origin is not None else [],
             [f"Only a leaf (made by a factory, `.detach()`, or `nn.Parameter`) can start or stop requiring grad. "
              f"`{name} = {name}.detach()` first gives a leaf with the same values (a loop that updates `{name}` "
              "out of place needs it at each iteration), or `.requires_grad_()` keeps the history if that is "
              "what was meant."],
             via=walker.frames, obj=objs[0], fix={"kind": "leaf-flag", "node": node})


def set_flag(walker, target: ast.Attribute, base: Ref, value, state) -> bool:
    """`x.requires_grad = value`: GG104 for a tensor with a history, else the flag set on a leaf; True when the
    assignment is fully handled (a constant flag)."""
    objs = non_leaves(base, state)
    if objs and guarded_leaf(walker, target.value, target):
        return True  # the other path's tensor never gets here: nothing to set on it
    if objs:
        report(walker, objs, target.value, target, "setting `.requires_grad`")
        return True  # torch raises: nothing after this line runs
    for oid in base.objs:  # `zero.requires_grad = flag`: no constant any more
        if isinstance(value, BoolConst):
            state.update(oid, constant=None, requires_grad=Tri.YES if value.value else Tri.NO, leaf=value.value)
        else:
            state.update(oid, constant=None)
    if isinstance(value, BoolConst) and value.value and base.every:
        walker.unfreeze_owners(base, state)  # `for p in critic.parameters(): p.requires_grad = True`
    return isinstance(value, BoolConst)


def requires_grad_call(walker, ref: Ref, flag, node: ast.Call, state) -> None:
    """`x.requires_grad_(flag)`: `flag` is what the call's `requires_grad` argument evaluated to (True if absent)."""
    objs = non_leaves(ref, state)
    if objs and guarded_leaf(walker, node.func.value, node):
        return
    if objs:
        if flag == BoolConst(False):
            report(walker, objs, node.func.value, node, "`requires_grad_(False)`")
        return  # True on a tensor with a history changes nothing; an unknown flag: it stays what it was
    if flag != BoolConst(False):
        # `requires_grad_(requires_grad=data.requires_grad)` (MONAI's switch_endianness keeps the flag it
        # found): a leaf that requires grad only if the flag the walk does not know is true
        rg = Tri.YES if flag == BoolConst(True) else Tri.MAYBE
        if ref.every and rg is Tri.YES:  # `for p in critic.parameters(): p.requires_grad_(True)`
            walker.unfreeze_owners(ref, state)
        for oid in ref.objs:
            state.update(oid, requires_grad=rg, leaf=True, describe="a leaf tensor (requires_grad_)", constant=None)
    else:  # `p.requires_grad_(False)`: a frozen parameter (an EMA copy, a target network) may change in place
        for oid in ref.objs:
            if state.obj(oid).leaf:
                state.update(oid, requires_grad=Tri.NO, leaf=False)
