"""A loss that is a constant on one path: `if num_pos == 0: loss = torch.tensor(0.)` in a head's `loss`.

A tensor made by a factory without `requires_grad` (`torch.tensor(0.)`, `torch.zeros(1)`, `x.new_tensor(0)`), or
computed only from such tensors and numbers, cannot require grad, whatever grad mode and the caller do. The walk
keeps on such a tensor (`TObj.constant`) a `Constant`: on which path of the `if`s it is built only from constants,
where those were made, and whether it requires grad on the other paths (after a join, one name holds the constant
and the real loss; `loss_a + loss_b` of two such names is the constant on the path where both are).

A training-path loss function that returns, on some path, a loss built only from constants while on another it
requires grad, hands the training loop a tensor without grad_fn on that path: its backward() raises.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..findings import Severity
from .values import Ref, Seq, Tri


@dataclass(frozen=True)
class Constant:
    branch: tuple  # the `if` sides (State.branch items) of the path on which it is built only from constants
    made_at: frozenset  # the factory calls it comes from
    elsewhere: Tri = Tri.NO  # requires_grad on the other paths


def made(node: ast.AST, state) -> Constant:
    """What a factory without `requires_grad` makes here."""
    return Constant(state.branch, frozenset([node]))


def combine(tensor_params: dict, ignored, listed: list, state) -> Constant | None:
    """The Constant of an op's result from its inputs (the tensors bound to its parameters, but for the `ignored`
    ones, and those `listed` in its list arguments; numbers are constants too): on a path where each input is a
    constant, one of them per input whose paths do not disagree about a branch. None when an input is never a
    constant (or not known)."""
    branch: dict = {}
    made_at = frozenset()
    elsewhere = Tri.NO
    for value in [v for p, v in tensor_params.items() if p not in ignored] + listed:
        chosen = None
        for oid in value.objs:
            obj = state.obj(oid)
            const = obj.constant
            if const is None:
                elsewhere = elsewhere | obj.requires_grad
            else:
                elsewhere = elsewhere | const.elsewhere
                if chosen is None and agrees(branch, const.branch):
                    chosen = const
        if chosen is None:
            return None
        branch.update((side[:3], side) for side in chosen.branch)
        made_at |= chosen.made_at
    if not made_at:
        return None
    if state.grad is Tri.NO:
        elsewhere = Tri.NO
    return Constant(tuple(branch.values()), made_at, elsewhere)


def agrees(taken: dict, branch: tuple) -> bool:
    """Can one run take the `if` sides of `taken` and of `branch`?"""
    for side in branch:
        other = taken.get(side[:3])
        if other is not None and other != side:
            return False
    return True


# A function whose result is the loss the training loop differentiates, by its name: `loss`, `compute_loss`,
# `get_loss`, `calc_loss`, `forward_loss`... (a component, `bbox_loss`, `loss_cls`, is summed with the others).
TOTAL_LOSS = re.compile(r"^_*((compute|get|calc|calculate|forward|total|train|training)_)?loss(es)?$", re.IGNORECASE)


def report(reporter, walker, fn, role) -> None:
    """The finding, after the walk of a training-path loss function: a return whose loss is, on some path, built
    only from constants, when it requires grad on another."""
    if role is None or not role.loss or not TOTAL_LOSS.match(fn.name):
        return
    returned = [(loss_of(value), state) for value, state in walker.returns]
    returned = [(ref, state) for ref, state in returned if ref is not None and state.grad is not Tri.NO]
    found, grad_elsewhere = {}, Tri.NO
    for ref, state in returned:
        for oid in ref.objs:
            obj = state.obj(oid)
            const = obj.constant
            if const is None:
                grad_elsewhere = grad_elsewhere | obj.requires_grad
                continue
            grad_elsewhere = grad_elsewhere | const.elsewhere
            taken = {side[:3]: side for side in const.branch}
            # Made in the function itself: a helper's early `return torch.tensor(0.)` for an empty input is one
            # term of the loss, on a path where the others are empty too, if any.
            if (const.branch or state.branch) and agrees(taken, state.branch) and \
                    all(inside(node, fn) for node in const.made_at):
                for node in const.made_at:
                    found.setdefault(node, None)
    if not found or grad_elsewhere is Tri.NO:
        return
    for node in found:
        text = reporter.text(node)
        reporter.add("GG503", node, Severity.WARNING,
                     f"`{text}` does not require grad, and on this path `{fn.name}` returns a loss built only from "
                     "constants like it (on its other paths the loss is computed from the inputs): the training "
                     "loop's backward() on it raises: 'element 0 of tensors does not require grad and does not have "
                     "a grad_fn'. No safe automatic fix: make the zero from a prediction the loss computed "
                     "(`pred.sum() * 0` keeps a grad_fn); which one is yours to choose. A `.clone()` cannot help "
                     "either: a copy of a constant has no grad_fn.",
                     [], [f"`{text}` is a constant: it has no grad_fn, and neither has a loss made only of "
                          "constants."], via=(), obj=None, fix=None)


def inside(node: ast.AST, fn) -> bool:
    return getattr(node, "_gg_file", None) is getattr(fn, "_gg_file", None) and \
        fn.lineno <= getattr(node, "lineno", 0) <= fn.end_lineno


def loss_of(value) -> Ref | None:
    """The loss in what a loss function returns: the tensor itself, or the first item of a tuple
    (`return loss, loss_states`)."""
    if isinstance(value, Seq) and value.items and not value.mutable:
        value = value.items[0]
    return value if isinstance(value, Ref) else None
