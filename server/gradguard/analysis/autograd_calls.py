"""Calls whose function autograd runs its own way: a custom `autograd.Function`'s `apply` (its forward with grad
mode off, keeping what it passes to `ctx.save_for_backward`), `checkpoint` (which keeps its inputs to run the
function again at backward()) and `gradcheck` (which calls the function, then computes its gradients)."""

from __future__ import annotations

import ast

from ..facts import AUTOGRAD_FUNCTIONS, CHECKPOINT_OPTIONS
from .context import method_order, find_method
from .grad_views import parameter_gradients
from .values import (UNKNOWN, BoolConst, ConstStr, CtxVal, FuncVal, ModuleVal, ParamsList, ParamsOf, PartialVal, Ref,
                     Save, Seq, State, Tri, Unknown, flat_refs, fresh_id, history_union, save_certainty)


class AutogradCalls:
    def autograd_function(self, cls: str) -> bool:
        """Is the file's class `cls` a custom autograd.Function (directly or through its base classes, in this file or
        another workspace file: `class Instrumented(OptimalTransportFcn)`)?"""
        table = self.ctx.class_table
        for name in method_order(table, cls):
            if any(b in AUTOGRAD_FUNCTIONS for b in table[name].bases):
                return True
        return False

    def apply_custom_function(self, cls: str, node: ast.Call, state: State):
        """`Square.apply(a)`: its forward runs with grad mode off; what it passes to `ctx.save_for_backward` is
        kept for its backward (changing it in place afterwards breaks that backward, as for any op)."""
        args, kwargs = self.eval_args(node, state)
        given = args
        starred = [a for a in node.args if isinstance(a, ast.Starred)]
        spread = self.last_starred[1] if len(starred) == 1 and self.last_starred[0] is starred[0] else None
        spread_known = isinstance(spread, Seq) and "*" not in spread.items
        if spread_known:  # `Fn.apply(*args)` with the tuple's items known (eval_args passed them one by one)
            at = node.args.index(starred[0])
            unknown = any(v.__class__ is Unknown for v in spread.items)  # names the walk does not know, as below
            given = args[:at] + [UNKNOWN] + args[at + len(spread.items):]  # one per argument node, as below
            args = args if spread.items else args[:at] + args[at + 1:]
            spread = UNKNOWN if unknown else None
        found = find_method(self.ctx.class_table, cls, "forward")
        if found is None:
            return self.unknown_call(args, kwargs, node, state)
        ctx_val = CtxVal()
        grad = state.grad
        state.grad = Tri.NO
        try:
            value = self.call_function(FuncVal(found[1], found[0]), [ctx_val] + list(args), kwargs, node, state)
        finally:
            state.grad = grad
        inputs = flat_refs(list(args) + list(kwargs.values()) + [spread])  # (a tuple not known item by item too)
        rg = Tri.NO
        history = frozenset()
        for r in inputs:
            rg = rg | self.rg(r, state)
            history = history_union(history, self.history(r, state))
        if any(isinstance(v, Unknown) and (isinstance(a, ast.Name) or isinstance(a, ast.Starred) and not spread_known)
               for v, a in zip(given, node.args)) or isinstance(spread, Unknown):
            # `Fn.apply(x, ...)` with `x` a name the walk does not know (a closure's), or `Fn.apply(p, *inputs)`
            rg = rg | Tri.MAYBE  # maybe a tensor that requires grad
        if grad is Tri.NO or rg is Tri.NO:
            rg, history = Tri.NO, frozenset()
        outputs = flat_refs([value]) if not isinstance(value, Ref) else [value]
        if rg is not Tri.NO:
            seq = self.ctx.next_seq()
            returned = {state.obj(o).storage for out in outputs for o in out.objs}
            history |= {Save(fresh_id(), seq, state.obj(o).storage, state.obj(o).memory, node, f"{cls}.apply",
                             "result" if state.obj(o).storage in returned else "input", f"{cls}Backward",
                             loop_pass=self.loop_pass, **save_certainty(rg, grad, state))
                        for r in ctx_val.saved for o in r.objs}
        made = []
        for out in outputs or [None]:
            ref = self.new_tensor(state, node, rg, history=history, describe=f"the output of `{cls}.apply`")
            objs = [state.obj(o) for o in out.objs] if out is not None else []
            if len({(o.storage, o.memory) for o in objs}) == 1:
                # what forward returned, given a grad_fn: the same memory (saved by `save_for_backward(y)` maybe)
                for oid in ref.objs:
                    state.update(oid, storage=objs[0].storage, memory=objs[0].memory)
            made.append(ref)
        return made[0] if isinstance(value, Ref) or len(made) == 1 else Seq(tuple(made))

    def call_checkpoint(self, args, kwargs, node, state: State):
        """`checkpoint(fn, *args)`: runs `fn` now without keeping what its ops save, and keeps its tensor inputs to
        run it again at backward(); changing an input in place afterwards breaks that backward()."""
        fn, rest = (args[0], list(args[1:])) if args else (kwargs.get("function"), [])
        fn_kwargs = {k: v for k, v in kwargs.items() if k not in CHECKPOINT_OPTIONS}
        if isinstance(fn, FuncVal):
            value = self.call_function(fn, rest, fn_kwargs, node, state)
        elif isinstance(fn, ModuleVal):
            value = self.call_module(fn, rest, fn_kwargs, node, state)
        else:
            value = self.unknown_call(rest, fn_kwargs, node, state)
        inputs = flat_refs(rest + list(fn_kwargs.values()))
        rg = Tri.NO
        for r in inputs + flat_refs([value]):
            rg = rg | self.rg(r, state)
        if state.grad is Tri.NO or rg is Tri.NO:
            return self.new_tensor(state, node, Tri.NO, describe="the output of `checkpoint`")
        seq = self.ctx.next_seq()
        history = frozenset().union(*(self.history(r, state) for r in inputs)) if inputs else frozenset()
        history |= {Save(fresh_id(), seq, state.obj(o).storage, state.obj(o).memory, node, "checkpoint", "input",
                         "CheckpointFunctionBackward", loop_pass=self.loop_pass,
                         **save_certainty(rg, state.grad, state)) for r in inputs for o in r.objs}
        return self.new_tensor(state, node, rg, history=history, describe="the output of `checkpoint`")

    def call_gradcheck(self, args, kwargs, node, state: State, fresh_inputs: bool = False):
        """`gradcheck(fn, inputs)` (and `gradgradcheck`): calls `fn(*inputs)` (a tensor alone is one input), then
        computes the gradients of its outputs (autograd.grad, with grad_outputs): what `fn` changed in place after
        an op saved it breaks that, as a backward() there would. `check_backward_ad=False` computes none.
        `fresh_inputs` (torch.autograd.functional's jacobian, vjp...): the inputs are made tensors that require grad
        and grad mode is on, whatever they and it were."""
        fn = args[0] if args else kwargs.get("func")
        inputs = args[1] if len(args) > 1 else kwargs.get("inputs")
        given = list(inputs.items) if isinstance(inputs, Seq) else [inputs] if isinstance(inputs, Ref) else None
        fn_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "func"), None)
        backward = kwargs.get("check_backward_ad")
        forward_mode = kwargs.get("strategy", kwargs.get("outer_jacobian_strategy"))
        if given is None or fn_node is None or fresh_inputs and state.inference or \
                backward not in (None, BoolConst(True)) or forward_mode not in (None, ConstStr("reverse-mode")):
            # no gradient computed by backward (forward-mode AD): nothing the walk of `fn` would find breaks
            return self.unknown_call(list(args), kwargs, node, state)
        if not fresh_inputs and all(self.rg(v, state) is Tri.NO for v in given if isinstance(v, Ref)):
            return self.unknown_call(given, {}, node, state)  # torch raises its own ValueError, calls nothing
        grad, assumed = state.grad, state.grad_assumed
        if fresh_inputs:
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None) or "jacobian"
            given = [self.new_leaf(state, node, f"an input of `{name}`") if isinstance(v, Ref) else v
                     for v in given]
            state.grad, state.grad_assumed = Tri.YES, False  # torch.enable_grad() around the call and the gradients
        try:
            value = self.call_checked(fn, fn_node, given, node, state)
            # autograd.grad of each output that requires grad (row by row of a Jacobian): with grad_outputs, keeping
            # the graph; an output that does not is left out (jacobian gives zeros for it), not a backward() error
            outputs = [r for r in flat_refs([value]) if self.rg(r, state) is not Tri.NO] if value is not None else []
            if outputs:
                self.backward(Seq(tuple(outputs)), node, state, {"gradient": UNKNOWN,
                                                                 "retain_graph": BoolConst(True)}, is_grad=True)
        finally:
            state.grad, state.grad_assumed = grad, assumed
        if value is None:
            return self.unknown_call(given, {}, node, state)
        return UNKNOWN

    def call_checked(self, fn, fn_node, given: list, node, state: State):
        """The call `fn(*given)` a gradient check makes; None when the walk does not know `fn`."""
        qual = self.ctx.imports.qualname(fn_node)
        if isinstance(fn, FuncVal):
            return self.call_function(fn, given, {}, node, state)
        if isinstance(fn, ModuleVal):
            return self.call_module(fn, given, {}, node, state)
        if isinstance(fn, PartialVal):
            return self.call_partial(fn, given, {}, node, state)
        if qual is not None and not qual.startswith("torch."):
            return self.follow_elsewhere(qual, given, {}, called_as(node, fn_node), state)
        return None

    def gradients_of_parameters(self, target, inputs, node: ast.Call, state: State, create_graph: bool):
        """`torch.autograd.grad(loss, model.parameters())`: each of the model's gradients (grad_views.py), some of
        them views; None for other inputs."""
        parts = inputs.parts if isinstance(inputs, ParamsList) else (inputs,)  # `list(model.parameters())` too
        if not parts or not all(isinstance(p, ParamsOf) and not p.named for p in parts):
            return None
        params = frozenset().union(*(self.all_params_ref(p.module, state).objs for p in parts))
        return parameter_gradients(self, target, Ref(params, every=True), node, state, create_graph)

    def higher_order_grads(self, target, inputs, node: ast.Call, state: State):
        """`torch.autograd.grad(out, inputs, create_graph=True)`: one gradient per input, each a new tensor whose
        graph reaches back through `out`'s (a gradient penalty, an energy model's force, a PINN's derivative
        backpropagate through it): it requires grad as `out` does, or as its input does (`out` depends on the input,
        or torch raises; the gradient does too, unless `out` is linear in it with constant coefficients). A tuple of
        as many as `inputs` holds, when known."""
        given = inputs.items if isinstance(inputs, Seq) and "*" not in inputs.items else \
            (inputs,) if isinstance(inputs, Ref) else None
        made = []
        for wrt in given or (None,):
            base = wrt if isinstance(wrt, Ref) else target  # `out` of a network the walk cannot read: its input's
            if not isinstance(base, Ref):
                return UNKNOWN
            made.append(self.derive(base, state, node, detached=False, same_storage=False, inputs=(target,),
                                    describe="a gradient made with create_graph=True"))
        return Seq(tuple(made)) if given is not None else Seq((made[0], "*"))


def called_as(node: ast.Call, fn_node: ast.AST) -> ast.Call:
    """The call `fn(...)` that `gradcheck(fn, ...)` makes, at the gradcheck's place (one node per gradcheck: the
    walk and the project's resolution key on it)."""
    made = node.__dict__.get("_gg_called_as")
    if made is None:
        made = node._gg_called_as = ast.copy_location(ast.Call(func=fn_node, args=[], keywords=[]), node)
        made.end_lineno, made.end_col_offset = node.end_lineno, node.end_col_offset
    return made
