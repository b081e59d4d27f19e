"""Optimizer steps: `optimizer.step()`, and the mixed-precision form `scaler.step(optimizer)` (a GradScaler calls
`optimizer.step()` unless the scaled gradients hold an inf or a NaN, which a correct training step does not make).

A step changes the stepped parameters in place; a graph that saved them (a linear layer keeps its weight for the
gradient of its input) and that a later backward() goes through then fails.
"""

from __future__ import annotations

import ast

from .. import facts
from ..findings import Severity
from .retained_steps import mentions_retain_graph, retained_step
from .syntax import dotted
from .training import EVAL_ONLY, MODEL_WORDS, model_stem, optimizer_stem, pair_by_name, scaler_receiver
from .values import FuncVal, Optimizer, ParamsList, ParamsOf, Ref, State, Tri, UNKNOWN, Unknown


# torch.amp.GradScaler's methods that are not tensor methods (a tensor named `scaler` keeps its own)
SCALER_METHODS = frozenset({"step", "scale", "unscale_", "update"})
# nn.Module methods that are not a forward pass of a part of the model
NOT_FORWARD = frozenset({"to", "cuda", "cpu", "type", "half", "float", "double", "bfloat16", "train", "eval",
                         "load_state_dict", "state_dict", "apply", "zero_grad", "requires_grad_", "parameters",
                         "named_parameters", "buffers", "named_buffers", "modules", "children", "backward",
                         "register_buffer", "register_parameter", "register_forward_hook", "register_forward_pre_hook",
                         "register_full_backward_hook", "add_module", "get_submodule", "step"})


def is_parameters(value) -> bool:
    """`model.parameters()`, or models' parameters put together (params_concat)."""
    return isinstance(value, (ParamsOf, ParamsList))


def params_concat(values: list) -> ParamsList:
    """`list(model.parameters())`, `list(a.parameters()) + list(b.parameters())`, `itertools.chain(...)`."""
    return ParamsList(tuple(p for v in values for p in (v.parts if isinstance(v, ParamsList) else (v,))))


def some_optimizer(optimizers) -> Optimizer:
    """`opts[i]` of a list of optimizers, `i` unknown (`for i in range(len(opts)): opts[i].step()` over an
    ensemble's critics): one of them, so its step may change the parameters of any of theirs."""
    first = optimizers[0]
    modules = tuple(dict.fromkeys(m for o in optimizers for m in o.modules))
    tensors = tuple(dict.fromkeys(t for o in optimizers for t in o.tensors))
    return Optimizer(modules, first.node, tensors, fused=all(o.fused for o in optimizers))


class OptimizerCalls:
    """Optimizer steps, for the walk (a mixin of the Interpreter)."""

    def optimizer_method(self, opt: Optimizer, attr: str, node: ast.Call, state: State):
        args, _ = self.eval_args(node, state)
        if attr == "step" and args and isinstance(args[0], FuncVal):
            # `opt.step(closure)` (LBFGS): the step calls the closure (forward, backward) before it updates, with
            # grad mode on (torch wraps it in `torch.enable_grad()`), also when the step runs under no_grad
            grad, state.grad = state.grad, Tri.YES
            try:
                self.call_function(args[0], [], {}, node, state)
            finally:
                state.grad = grad
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

    def scaler_call(self, node: ast.Call, state: State):
        """A GradScaler's method, on a name that holds one: `scaler.step(optimizer)` is the optimizer's step,
        `scaler.scale(loss)` the loss times a number (a backward() through it is the loss's), `scaler.unscale_(opt)`
        divides the gradients, not a tensor of the graph. None when `node` is not one (its arguments are then not
        evaluated yet)."""
        if node.func.attr not in SCALER_METHODS or not scaler_receiver(node):
            if node.func.attr == "step" and not node.args and not node.keywords:
                self.unknown_optimizer_step(node)  # `o.step()` of an optimizer handed in
            return None
        args, _ = self.eval_args(node, state)
        if node.func.attr == "step" and args and isinstance(args[0], Optimizer):
            self.step_optimizer(args[0], node, state)
        elif node.func.attr == "step" and args:
            self.unknown_optimizer_step(node)
        if node.func.attr == "scale" and len(args) == 1:
            return args[0]
        return UNKNOWN

    def unknown_optimizer_step(self, node: ast.Call) -> None:
        """The step() of an optimizer the walk does not know, between two backward() calls through one retained
        graph (retained_steps): what it steps is unseen, but that graph is backwarded again after the step."""
        if getattr(node, "_gg_file", None) is not None or not mentions_retain_graph(self.ctx.info):
            return
        # the shape of the code around the step, the same for every walk of this parse (kept on its FileInfo, which
        # an edit replaces: a statement the edit did not touch may see other code around it)
        known = self.ctx.info.__dict__.setdefault("_gg_retained_steps", {})
        if id(node) not in known:
            known[id(node)] = retained_step(self.ctx.tree, node)
        found = known[id(node)]
        if found is None:
            return
        sink = self.sink
        stepped = sink.text(node.func.value if not node.args else node.args[0])
        again = sink.text(found.again.func.value)
        when = "on the loop's next pass" if found.next_pass else "after it"
        sink.add("GG201", node, Severity.WARNING,
                 f"`{stepped}.step()` changes the optimized parameters in place between backward() calls through "
                 f"one graph: the graph kept by `retain_graph` is backwarded again {when} (`{again}.backward()`), "
                 "and if an operation of it saved one of those parameters (a linear layer keeps its weight for the "
                 "gradient of its input) backward() will raise: 'one of the variables needed for gradient "
                 "computation has been modified by an inplace operation'. No safe automatic fix: run every "
                 "backward() first, then the steps (moving them changes which gradients each step uses: reorder by "
                 "hand). A `.clone()` cannot help either: the graph keeps the parameters themselves.",
                 [sink.related(found.retained, "the graph is kept here (`retain_graph`), and backwarded again here on "
                               "the next pass")] if found.again is found.retained else
                 [sink.related(found.again, "the retained graph is backwarded again here"),
                  sink.related(found.retained, "the graph is kept here (`retain_graph`)")])

    def call_foreign_submodule(self, node: ast.Call, state: State):
        """`self.model.encoder(hidden)` where `self.model`'s parameters went to an optimizer: a part of that model,
        whose forward keeps some of them for backward (call_foreign_model). None when `node` is not such a call (its
        arguments are then not evaluated yet)."""
        key = dotted(node.func)
        foreign = self.ctx.root.foreign_modules
        if not foreign or key is None or node.func.attr in NOT_FORWARD or \
                EVAL_ONLY.match(node.func.attr) or facts.params(node.func.attr) is not None:
            return None
        # the model itself, held by something unknown (`self.saae.Q(x)`, `self.saae` built by code not followed)
        head = key if key in foreign else key.rpartition(".")[0]
        while head and head not in foreign:
            head = head.rpartition(".")[0]
        if not head:
            return None
        args, kwargs = self.eval_args(node, state)
        if not any(isinstance(a, Ref) for a in list(args) + list(kwargs.values())):
            return self.unknown_call(args, kwargs, node, state)
        return self.call_foreign_model(key, args, kwargs, node, state, mid=foreign[head])

    def alias_foreign_models(self, attrs: dict | None, cls: ast.ClassDef) -> None:
        """`self.model = model` in `__init__`, where `model.parameters()` went to an optimizer: `self.model` is that
        model in the other methods."""
        foreign = self.ctx.root.foreign_modules
        init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        if not foreign or attrs is None or init is None:
            return
        for stmt in init.body:
            if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
                continue
            target, value = stmt.targets[0], stmt.value
            pairs = zip(target.elts, value.elts) if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) \
                and len(target.elts) == len(value.elts) else [(target, value)]
            for t, v in pairs:
                if isinstance(v, ast.Name) and v.id in foreign and isinstance(t, ast.Attribute) and \
                        isinstance(t.value, ast.Name) and t.value.id == "self" and f"self.{t.attr}" not in foreign \
                        and isinstance(attrs.get(t.attr), (Unknown, Ref)):
                    foreign[f"self.{t.attr}"] = foreign[v.id]

    def unpacked_model_and_optimizer(self, target: ast.AST, value_node: ast.AST, state: State) -> None:
        """`model, optimizer = load_model_and_optimizer(opt)`, a call the walk cannot see into: the optimizer (or
        collection of optimizers, `optimizer[idx]`) steps that model's parameters, paired by name as for a training
        function's arguments (training.optimized_arguments); `model` is a model built elsewhere (foreign_module).
        The caller passes only a tuple target of a call (statements.stmt_Assign)."""
        names = [e.id for e in target.elts if isinstance(e, ast.Name)
                 and isinstance(state.env.get(e.id), (Unknown, Ref))]
        optimizers = [n for n in names if optimizer_stem(n) is not None]
        models = [n for n in names if n not in optimizers and (n.lower() in MODEL_WORDS or model_stem(n) != n.lower())]
        for optimizer, model in pair_by_name(optimizers, models).items():
            state.env[optimizer] = Optimizer((self.foreign_module(ast.Name(id=model)),))
