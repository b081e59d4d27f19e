"""Optimizer steps: `optimizer.step()`, and the mixed-precision form `scaler.step(optimizer)` (a GradScaler calls
`optimizer.step()` unless the scaled gradients hold an inf or a NaN, which a correct training step does not make).

A step changes the stepped parameters in place; a graph that saved them (a linear layer keeps its weight for the
gradient of its input) and that a later backward() goes through then fails.
"""

from __future__ import annotations

import ast
import re

from .syntax import dotted
from .values import FuncVal, Optimizer, Ref, State, Tri, UNKNOWN

# `scaler`, `grad_scaler`, `self.amp_scaler`, `loss_scaler`: what holds a torch.amp / torch.cuda.amp GradScaler.
SCALER_NAME = re.compile(r"scaler$", re.IGNORECASE)


def scaler_receiver(node: ast.Call) -> bool:
    """Is `node` a call of a method of something named like a GradScaler (`scaler.step(opt)`)?"""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    text = func.value.id if isinstance(func.value, ast.Name) else dotted(func.value) or ""
    return bool(SCALER_NAME.search(text.rsplit(".", 1)[-1]))


class OptimizerCalls:
    """Optimizer steps, for the walk (a mixin of the Interpreter)."""

    def optimizer_method(self, opt: Optimizer, attr: str, node: ast.Call, state: State):
        args, _ = self.eval_args(node, state)
        if attr == "step" and args and isinstance(args[0], FuncVal):
            # `opt.step(closure)` (LBFGS): the step calls the closure (forward, backward) before it updates
            self.call_function(args[0], [], {}, node, state)
        if attr == "step":
            self.step_optimizer(opt, node, state)
        return UNKNOWN

    def step_optimizer(self, opt: Optimizer, node: ast.Call, state: State) -> None:
        refs = [self.all_params_ref(mid, state, materialized_only=True) for mid in opt.modules]
        refs += [r for r in opt.tensors if all(o in state.objs for o in r.objs)]
        for ref in refs:
            if not ref.objs:
                continue
            if opt.fused:  # the fused kernels write around autograd's version counter
                self.silent_write(ref, node, "optimizer", "optimizer.step() (fused=True)", state)
            else:
                self.mutate(ref, node, "optimizer", "optimizer.step()", state, grad_override=Tri.NO)

    def scaler_step(self, node: ast.Call, state: State):
        """`scaler.step(optimizer)`: the optimizer's step. None when `node` is not that call (its arguments are then
        not evaluated yet)."""
        if node.func.attr != "step" or len(node.args) != 1 or node.keywords or not scaler_receiver(node):
            return None
        opt = self.expr(node.args[0], state)
        if not isinstance(opt, Optimizer):
            return UNKNOWN if not isinstance(opt, Ref) else self.unknown_call([opt], {}, node, state)
        self.step_optimizer(opt, node, state)
        return UNKNOWN
