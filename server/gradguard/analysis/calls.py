"""Calls: what a call names (a torch op, a tensor method, a module, a function of this file or another) and the
functions followed into; applying an op's facts is op_application.py."""

from __future__ import annotations

import ast
from dataclasses import replace

from ..facts import (
    CHECKPOINTS, DIFFERENTIATING_FUNCTIONS, ENABLE_GRAD_CONTEXTS, FACTORIES, GRADCHECKS, INTEGER_RESULTS,
    MODULE_WRAPPERS, NEW_FACTORIES, NON_TENSOR_METHODS, NON_TENSOR_TORCH_CALLS, NOT_DATA_MUTATIONS, NO_GRAD_CONTEXTS,
    SET_GRAD_ENABLED,
)
from .. import facts
from ..bindings import relatively_imported
from . import detached_views, input_embeddings, leaf_flags, names
from .context import (
    MAX_CALL_DEPTH, MAX_FOREIGN_DEFINITION, MAX_FOREIGN_LINES, MAX_HELPER_DEFINITION, MAX_INLINED_STATEMENTS,
    WALKED_AT_ANY_SIZE, code_lines, find_method,
)
from .syntax import (
    decorator_grad, dotted, export_check, is_inplace_name, is_staticmethod, is_statement_call, splits_text,
    sets_grad_mode,
)
from .cli_options import ArgParser, parse_call
from .config_dicts import copied_config, dict_method
from .defaults import config_default
from .einops import EINOPS_FUNCTIONS
from .filled_arguments import filled_arguments, leaf_helper
from .model_dicts import model_key
from .optimizers import is_parameters, params_concat
from .probing import probe_unfollowed
from .tensors import SELF_WHEN_ALREADY
from .training import calls_backward, criterion_result, moves_data
from .shapes import sizes_of_rank
from .values import (
    BoolConst, BuiltinVal, ClassVal, ConstStr, CtxVal, DefaultStr, DictVal, Env, Frame, FuncVal, GradCtx, Keywords,
    ModuleVal, NoneVal, Number, NumpyArr, ObjTable, Optimizer, ParamsOf, PartialVal, QualVal, Ref, Save, SIZES, Seq,
    State, SuperVal, Tri, UNKNOWN, Unknown, flat_refs, fresh_id, from_caller, history_union, join_states, join_val,
    reachable_oids, save_certainty, truthy,
)
from .op_application import MULTI_OUTPUT_VIEWS, elementwise_extremum


PARAMETERS = ("parameters", "named_parameters")
VARIABLE = ("torch.autograd.Variable", "torch.autograd.variable.Variable")  # torch < 0.4's wrapper, still callable
DISTRIBUTION = "a torch.distributions object"  # the describe of what `Categorical(probs)` makes
LIBRARY_PARAMETER = "parameter (a library's nn.Parameter subclass)"  # what `geoopt.ManifoldParameter(t)` makes
INTEGRAL_CASTS = {"long", "int", "short", "char", "byte", "bool"}  # tensor methods that convert to such a dtype
COUNTS = {"size", "dim", "ndimension", "numel", "nelement"}  # tensor methods that give ints
STR_FOLDS = frozenset({"lower", "upper", "casefold", "strip"})  # str methods folded on a literal or a default
# Standard-library modules none of whose functions or classes returns a tensor (`pathlib.Path(opt.data)`, then
# `DATASETS_DIR / data` is a path, not a division that keeps a graph).
NON_TENSOR_MODULES = frozenset({"pathlib", "os", "json", "re", "time", "datetime", "subprocess", "shutil", "glob",
                                "logging", "argparse", "string", "platform", "socket", "tempfile", "traceback",
                                "warnings", "inspect", "urllib", "csv", "hashlib", "uuid"})

# torch.nn.init's functions that read a tensor's sizes and return numbers; every other one fills its argument in place
NN_INIT_MEASURES = frozenset({"calculate_gain", "_calculate_correct_fan", "_calculate_fan_in_and_fan_out"})


class CallEvaluator:
    """Calls to torch ops, tensor methods, the file's functions and other files' definitions."""

    # ------------------------------------------------------------------ calls
    def expr_Call(self, node, state):
        func = node.func
        if export_check(func):
            self.eval_args(node, state)
            return BoolConst(False)  # tracing / ONNX export never runs a backward(): not the training path
        if isinstance(func, ast.Name) and func.id == "super" and "super" not in state.env and self.class_name and \
                self.func_stack and not isinstance(self.func_stack[-1], ast.Lambda):
            fn = self.func_stack[-1]
            first = (fn.args.posonlyargs + fn.args.args)[:1]
            instance = state.env.get(first[0].arg) if first else None
            if isinstance(instance, ModuleVal) and instance.cls:
                return SuperVal(self.class_name, instance)
        qual = self.ctx.imports.qualname(func)
        if qual is not None and not shadowed(func, state):
            return self.call_qualified(qual, node, state)
        if isinstance(func, ast.Attribute):
            key = dotted(func)
            receiver = state.env[key] if key and key in state.env else None
            if receiver is None:
                value = self.call_method(self.expr(func.value, state), func.attr, node, state)
            else:
                value = self.call_value(receiver, node, state)
        else:
            value = self.call_value(self.expr(func, state), node, state)
        if input_embeddings.is_embedding_call(node, self.ctx, self.class_name):
            input_embeddings.note_output(self, node, value, state)
        return value

    def eval_args(self, node: ast.Call, state: State):
        args = []
        for a in node.args:  # `f(*parts, r)` with `parts` a tuple of known length passes its items one by one
            val = self.expr(a, state)
            spliced = self.last_starred[1] if isinstance(a, ast.Starred) and self.last_starred[0] is a else None
            args += spliced.items if isinstance(spliced, Seq) and spliced.items and "*" not in spliced.items else [val]
        kwargs = Keywords()
        for kw in node.keywords:
            val = self.expr(kw.value, state)
            if kw.arg is not None:
                kwargs[kw.arg] = val
            elif isinstance(val, DictVal) and val.base is None and val.some is None:  # `f(**opts)`, its keys known
                kwargs.update((k, v) for k, v in val.items if isinstance(k, str))
            else:
                kwargs.more = val
        return args, kwargs

    def call_value(self, callee, node: ast.Call, state: State):
        if isinstance(callee, FuncVal):
            args, kwargs = self.eval_args(node, state)
            return self.call_function(callee, args, kwargs, node, state)
        if isinstance(callee, ClassVal):
            args, kwargs = self.eval_args(node, state)
            return self.instantiate(callee.name, args, kwargs, node, state)
        if isinstance(callee, ModuleVal):
            args, kwargs = self.eval_args(node, state)
            return self.call_module(callee, args, kwargs, node, state)
        if isinstance(callee, QualVal):
            return self.call_qualified(callee.qual, node, state)
        if isinstance(callee, BuiltinVal):
            return self.call_builtin(callee.name, node, state)
        if isinstance(callee, PartialVal):
            args, kwargs = self.eval_args(node, state)
            return self.call_partial(callee, args, kwargs, node, state)
        args, kwargs = self.eval_args(node, state)
        key = dotted(node.func) or (node.func.id if isinstance(node.func, ast.Name) else None)
        loss = criterion_result(self, key, callee, args, kwargs, node, state)
        if loss is not None:
            return loss
        model = model_key(node.func, state.env) if isinstance(callee, (Unknown, Ref)) else None
        if model in self.ctx.root.foreign_modules:
            # `netG(noise)` where `optim.Adam(netG.parameters())` showed that `netG` is a model built elsewhere: its
            # output requires grad (its parameters do, by the training assumption) and its forward keeps tensors
            # for backward(), which a backward() frees (a second one through `fake` then fails); `self.models["g"](z)`
            return self.call_foreign_model(model, args, kwargs, node, state)
        return self.call_elsewhere(None, args, kwargs, node, state)

    def call_foreign_model(self, key: str, args, kwargs, node, state: State, mid: int | None = None):
        """A call of the model `key` names (`netG`, `self.qf1`), built by code this walk cannot see but whose
        parameters went to an optimizer. Its output requires grad and keeps tensors for backward(), its parameters
        among them (its linear layers and convolutions save their weights): a step() of that optimizer before the
        backward() of this output makes that backward fail."""
        out = self.opaque_result(list(args) + list(kwargs.values()), node, state, requires_grad=Tri.ASSUMED,
                                 graph_saves=key)
        if state.grad is Tri.NO or not isinstance(out, Ref):
            return out
        mid = self.ctx.root.foreign_modules[key] if mid is None else mid
        params = self.all_params_ref(mid, state)
        seq = self.ctx.next_seq()
        certainty = save_certainty(self.parameter_grad(mid), state.grad, state)
        saves = frozenset(Save(fresh_id(), seq, state.obj(o).storage, state.obj(o).memory, node, key, "parameters",
                               None, loop_pass=self.loop_pass, **certainty) for o in sorted(params.objs))
        for oid in out.objs:
            state.update(oid, history=state.obj(oid).history | saves)
        return out

    def call_partial(self, partial: PartialVal, args, kwargs, node, state):
        args, kwargs = list(partial.args) + list(args), dict(partial.kwargs, **kwargs)
        func = partial.func
        if isinstance(func, FuncVal):
            return self.call_function(func, args, kwargs, node, state)
        if isinstance(func, ClassVal):
            return self.instantiate(func.name, args, kwargs, node, state)
        cls = names.nn_class(func.qual) if isinstance(func, QualVal) else None
        if cls is not None:
            return self.build_module(cls, args, kwargs, node, state)
        fn = names.torch_function(func.qual) if isinstance(func, QualVal) else None
        if fn is not None:  # `partial(F.softmax, dim=1)`
            return self.torch_call(fn, args, Keywords(kwargs), node, state)
        return self.unknown_call(args, kwargs, node, state)

    def unknown_call(self, args, kwargs, node, state, imported: bool = False):
        tensors = flat_refs(list(args) + list(kwargs.values()))
        if not tensors:
            return UNKNOWN
        # The callee may be a model holding parameters: its result may require grad whatever its inputs. In a
        # training step (a scope that runs backward() itself), that is what a call on tensors is there for: the
        # model's output, which requires grad on the training path. Not a function named by an import
        # (`dgl.edge_subgraph(graph, idx)`, `load_data(args)`, `dglsp.spmatrix(indices)`): it is no model
        # instance, and given no tensor that requires grad and no model, what it returns is data.
        out = self.opaque_result(tensors, node, state, requires_grad=Tri.MAYBE)
        made = next(iter(out.objs))
        if state.grad is Tri.YES and state.obj(made).requires_grad is Tri.MAYBE and self.func_stack and \
                self.func_stack[0].__class__ is not ast.Lambda and calls_backward(self.func_stack[0]) and \
                not moves_data(node) and not (imported and self.data_only(args, kwargs, tensors, node, state)):
            state.update(made, requires_grad=Tri.ASSUMED)
        return out

    def data_only(self, args, kwargs, tensors, node, state) -> bool:
        """No argument requires grad (none is YES or ASSUMED) and none is a model: a module or function the walk
        knows, or a name whose parameters went to an optimizer (a model built elsewhere)."""
        if any(self.rg(r, state) in (Tri.YES, Tri.ASSUMED) for r in tensors):
            return False
        if any(isinstance(v, (ModuleVal, FuncVal, PartialVal)) for v in list(args) + list(kwargs.values())):
            return False
        given = [a.value if isinstance(a, ast.Starred) else a for a in node.args] + [k.value for k in node.keywords]
        return not any(model_key(a, state.env) in self.ctx.root.foreign_modules for a in given)

    def opaque_result(self, inputs, node, state, requires_grad: Tri | None = None, graph_saves: str | None = None):
        """A tensor computed by something we cannot see into: it keeps its inputs' graphs."""
        refs = flat_refs(inputs)
        rg = Tri.NO
        history = frozenset()
        for r in refs:
            rg = rg | self.rg(r, state)
            history = history_union(history, self.history(r, state))
        if any(isinstance(v, (Unknown, QualVal)) for v in inputs):
            rg = rg | Tri.MAYBE  # an input we know nothing about may be a tensor that requires grad
        if requires_grad is not None:
            rg = rg | requires_grad
        if rg is Tri.YES and requires_grad is not Tri.YES:
            rg = Tri.MAYBE  # it may have detached, or not be a tensor at all
        if state.grad is Tri.NO:
            rg, history = Tri.NO, frozenset()
        elif graph_saves and rg is not Tri.NO:
            seq = self.ctx.next_seq()
            history |= {Save(fresh_id(), seq, None, None, node, graph_saves, "buffers", None,
                             loop_pass=self.loop_pass, **save_certainty(rg, Tri.YES, state))}
        return self.new_tensor(state, node, rg, history=history, describe="the result", opaque=True)

    def call_qualified(self, qual: str, node: ast.Call, state: State):
        args, kwargs = self.eval_args(node, state)
        if qual == "argparse.ArgumentParser":
            return ArgParser(tree=self.ctx.context_of(node).tree)
        if qual in NO_GRAD_CONTEXTS:
            mode = kwargs.get("mode", args[0] if args else None)
            if isinstance(mode, BoolConst) and not mode.value:
                return GradCtx(state.grad)
            return GradCtx(Tri.NO, inference="inference_mode" in qual)
        if qual in ENABLE_GRAD_CONTEXTS:
            return GradCtx(Tri.YES)
        if qual in SET_GRAD_ENABLED:
            arg = args[0] if args else kwargs.get("mode")
            enabled = Tri.YES if arg == BoolConst(True) else Tri.NO if arg == BoolConst(False) else Tri.MAYBE
            if is_statement_call(node, self.ctx):
                state.grad = enabled
            return GradCtx(enabled)
        if qual.startswith("torch.nn.init.") and qual.rsplit(".", 1)[-1] in NN_INIT_MEASURES:
            return UNKNOWN  # `fan = _calculate_correct_fan(w, "fan_in")`: a number read off the tensor, which it keeps
        if qual.startswith("torch.nn.init."):
            if args and isinstance(args[0], Ref):
                self.mutate(args[0], node, "function", qual.rsplit(".", 1)[-1], state, grad_override=Tri.NO)
            return args[0] if args else UNKNOWN
        if qual.startswith("torch.optim.") and qual.count(".") >= 2 and qual.rsplit(".", 1)[-1][:1].isupper():
            params = args[0] if args else kwargs.get("params")
            stepped = tuple(self.param_modules(params, state))
            self.ctx.root.optimized_modules.update(m for mid in stepped for m in self.owned_modules(mid))
            return Optimizer(stepped, node, tuple(self.loose_tensors(params, state)), fused=truthy(kwargs.get("fused")))
        if qual in ("torch.autograd.backward",):
            target = args[0] if args else kwargs.get("tensors")
            self.backward(target, node, state, kwargs, positional_gradient=len(args) > 1)
            return NoneVal()
        if qual in ("torch.autograd.grad",):
            target = args[0] if args else kwargs.get("outputs")
            inputs = args[1] if len(args) > 1 else kwargs.get("inputs")
            grads = self.gradients_of_parameters(target, inputs, node, state, truthy(kwargs.get("create_graph")))
            if not truthy(kwargs.get("create_graph")):
                given = dict(kwargs)
                if "grad_outputs" in kwargs:
                    given["gradient"] = kwargs["grad_outputs"]
                given["inputs"] = args[1] if len(args) > 1 else kwargs.get("inputs")
                self.backward(target, node, state, given, positional_gradient=len(args) > 2, is_grad=True)
                return UNKNOWN if grads is None else grads
            return self.higher_order_grads(target, inputs, node, state) if grads is None else grads
        if qual in VARIABLE:
            return self.variable(args, kwargs, node, state)
        if qual in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            rg = kwargs.get("requires_grad", args[1] if len(args) > 1 else None)
            if rg == BoolConst(False):
                return self.new_tensor(state, node, Tri.NO)
            return self.new_leaf(state, node, "parameter")
        if parameter_subclass(qual) and args and isinstance(args[0], Ref):
            # `geoopt.ManifoldParameter(t, manifold=ball)`: a library's nn.Parameter subclass, a leaf that requires grad
            rg = kwargs.get("requires_grad", args[1] if len(args) > 1 else None)
            return self.new_tensor(state, node, Tri.NO) if rg == BoolConst(False) else \
                self.new_leaf(state, node, LIBRARY_PARAMETER)
        if qual == "torch.from_numpy" and args:
            arr = args[0]
            memory = arr.memory if isinstance(arr, NumpyArr) else fresh_id()
            ref = self.new_tensor(state, node, Tri.NO, memory=memory, describe="a tensor sharing a NumPy array")
            if isinstance(node.args[0], ast.Name) and not isinstance(arr, NumpyArr):
                state.env[node.args[0].id] = NumpyArr(memory)
            return ref
        if qual in MODULE_WRAPPERS and args and isinstance(args[0], ModuleVal):
            return args[0]
        if qual == "collections.namedtuple" and args and isinstance(args[0], ConstStr) and \
                args[0].value in self.ctx.classes:  # the class context.namedtuple_classes made of it
            return ClassVal(args[0].value)
        if qual == "functools.partial" and args and (isinstance(args[0], (FuncVal, ClassVal)) or isinstance(
                args[0], QualVal) and (names.nn_class(args[0].qual) or names.torch_function(args[0].qual))):
            return PartialVal(args[0], tuple(args[1:]), tuple(kwargs.items()))
        if qual in ("collections.OrderedDict", "dict") and len(args) == 1 and isinstance(args[0], Seq):
            # `OrderedDict([("conv", nn.Conv2d(...)), ("act", nn.Sigmoid())])`: the named items, in order
            pairs = [p.items for p in args[0].items if isinstance(p, Seq) and len(p.items) == 2]
            if len(pairs) == len(args[0].items) and all(isinstance(k, ConstStr) for k, _ in pairs):
                return DictVal(tuple((k.value, v) for k, v in pairs))
        copied = copied_config(qual, args, kwargs)
        if copied is not None:  # `norm_cfg = copy.deepcopy(norm_cfg)`
            return copied
        if qual in facts.MMCV_ACTIVATION_BUILDERS or qual in facts.MMCV_NORM_BUILDERS:
            build = self.build_activation_layer if qual in facts.MMCV_ACTIVATION_BUILDERS else self.build_norm_layer
            built = build(args, kwargs, node, state)
            if built is not None:
                return built
        if qual in CHECKPOINTS:
            return self.call_checkpoint(args, kwargs, node, state)
        if qual in GRADCHECKS or qual in DIFFERENTIATING_FUNCTIONS:
            return self.call_gradcheck(args, kwargs, node, state, fresh_inputs=qual in DIFFERENTIATING_FUNCTIONS)
        if qual in EINOPS_FUNCTIONS:
            return self.call_einops(EINOPS_FUNCTIONS[qual], args, kwargs, node, state)
        cls = names.nn_class(qual) or names.library_module(qual)
        if cls is not None:
            return self.build_module(cls, args, kwargs, node, state)
        if qual.startswith("torch.Tensor.") and qual.count(".") == 2 and args and isinstance(args[0], Ref):
            # `torch.Tensor.masked_fill_(w, pad, 0.0)`: the method, unbound, with its tensor as first argument
            return self.tensor_method_with(args[0], qual[len("torch.Tensor."):], args[1:], kwargs, node, state)
        fn = names.torch_function(qual)
        if fn is not None:
            spread = spread_sequence(self, node)
            if spread is not None and "*" not in spread.items:  # `torch.min(*qs)`, `qs` a tuple of known length
                at = next(i for i, a in enumerate(node.args) if a.__class__ is ast.Starred)
                args = [*args[:at], *spread.items, *args[at + 1:]]
            elif spread is not None and fn[1] == "torch" and fn[0] in SPREAD_COMBINES and "dim" not in kwargs:
                # `torch.min(*[critic(x) for critic in critics])`: as many tensors as items, whatever their count
                # (not `torch.max(*xs, dim=1)`: values and indices)
                return self.opaque_result([*spread.items, *args, *kwargs.values()], node, state)
            return self.torch_call(fn, args, kwargs, node, state)
        if qual.rsplit(".", 1)[-1] in PARAMETERS and not qual.startswith("torch.") and \
                isinstance(node.func, ast.Attribute):  # `model.parameters()`, model from elsewhere
            return ParamsOf(self.foreign_module(node.func.value), named=qual.endswith(".named_parameters"))
        if qual == "itertools.chain" and all(is_parameters(a) for a in args) and args and not kwargs:
            return params_concat(args)  # `itertools.chain(encoder.parameters(), head.parameters())`
        if qual.split(".", 1)[0] in NON_TENSOR_MODULES:  # unless a workspace file of that name shadows it
            followed = self.follow_elsewhere(qual, args, kwargs, node, state)
            return UNKNOWN if followed is None else followed  # `Path(opt.data)`: a path, not a model's output
        if qual.startswith("numpy.") or qual.startswith("np."):
            out = kwargs.get("out")
            if isinstance(out, NumpyArr):
                self.silent_numpy_write(out, node, state)
            return UNKNOWN
        out = self.call_elsewhere(qual, args, kwargs, node, state)
        if qual.startswith("torch.distributions.") and qual.rsplit(".", 1)[-1][:1].isupper() and isinstance(out, Ref):
            for oid in out.objs:  # `Categorical(probs)`: its `sample()` runs under no_grad (tensor_method_with)
                state.update(oid, describe=DISTRIBUTION)
        return out

    def torch_call(self, fn: tuple[str, str], args, kwargs, node, state):
        """A call of the torch function `fn` (names.torch_function) with these arguments."""
        name, form = fn
        if form == "torch" and name in NON_TENSOR_TORCH_CALLS:
            return UNKNOWN
        if name == "as_tensor" and args and isinstance(args[0], Ref):
            # `torch.as_tensor(sigma, dtype=torch.float)` of a tensor is `sigma.to(dtype, device)`: the tensor itself
            # when nothing changes, else a converted copy on its graph, requiring grad as it does
            return self.self_or_copy(args[0], "to", node, state)
        if name in FACTORIES:
            return self.factory(name, args, kwargs, node, state)
        return self.call_op(name, form, args, kwargs, node, state)

    def variable(self, args, kwargs, node, state):
        """`Variable(t)` is `t.detach()` (the same storage and version counter, measured under torch 2.13), and
        `Variable(t, requires_grad=True)` a leaf that requires grad on that storage: what code written for
        torch < 0.4 wraps its tensors in."""
        data = args[0] if args else kwargs.get("data")
        flag = kwargs.get("requires_grad", args[1] if len(args) > 1 else None)
        if not isinstance(data, Ref):
            return self.unknown_call(args, kwargs, node, state)
        out = self.derive(data, state, node, detached=True, same_storage=True, describe="`Variable(...)`")
        if flag is not None and flag != BoolConst(False):
            rg = Tri.YES if flag == BoolConst(True) else Tri.MAYBE
            for oid in out.objs:
                state.update(oid, requires_grad=rg, leaf=True, constant=None,
                             describe="a leaf tensor (Variable(..., requires_grad=True))")
        return out

    def call_elsewhere(self, qual, args, kwargs, node, state):
        """A name imported from another workspace file: its function or class (found by gradguard/project.py, with
        jedi) is followed like one of this file, with that file's names. Anything else is unknown code."""
        followed = self.follow_elsewhere(qual, args, kwargs, node, state)
        if followed is not None:
            return followed
        if len(args) == 1:
            registered = self.activation_by_name(node.func, args[0], kwargs, node, state)
            if registered is not None:
                return registered
        return self.unknown_call(args, kwargs, node, state, imported=qual is not None)

    def follow_elsewhere(self, qual, args, kwargs, node, state, plain_only=False):
        """call_elsewhere's walk of the definition in another workspace file; None when the call names none.
        `plain_only`: read the files alone, without asking jedi (project.resolve)."""
        project = self.ctx.project
        found = None
        deep = self.depth >= MAX_CALL_DEPTH
        if project is not None:  # past the call limit, only a leaf helper the files alone name (no jedi)
            found = project.resolve(self.ctx.path, self.ctx.tree, node.func, qual, state.env, plain_only or deep)
        if found is None:
            return None
        parsed, definition = found
        if deep and not (isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)) and
                         leaf_helper(definition, self.ctx.other_file(parsed).imports)):
            return None
        # Other files are followed on a budget of their own (lines of statements, not of a signature): a helper
        # that changes its argument is small; a class whose __init__ builds a tree of submodules is not worth it.
        body = definition
        if isinstance(definition, ast.ClassDef):
            body = next((n for n in definition.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and n.name == "__init__"), None)
        size = code_lines(body) if body is not None else 0
        budget = self.ctx.budget
        if size > MAX_FOREIGN_DEFINITION or budget.foreign + size > MAX_FOREIGN_LINES:
            if self.ctx.probe is not None:  # callers.py reads the arguments of its function's calls, followed or not
                probe_unfollowed(self, FuncVal(definition), lambda: self.ctx.other_file(parsed), args, kwargs, node,
                                 state)
            return self.unknown_call(args, kwargs, node, state)
        other = self.ctx.other_file(parsed)  # call_function charges the lines it walks there to the budget
        if isinstance(definition, ast.ClassDef):
            walker = type(self)(other, self.frames, self.depth, self.loop_pass, self.func_stack)
            return walker.instantiate(definition.name, args, kwargs, node, state)
        return self.call_function(FuncVal(definition), args, kwargs, node, state)

    def call_method(self, receiver, attr: str, node: ast.Call, state: State):
        if attr in STR_FOLDS and (receiver.__class__ is ConstStr or receiver.__class__ is DefaultStr) and \
                not node.args and not node.keywords:  # `name.lower()` of a literal or of a constructor's default
            if receiver.__class__ is ConstStr:
                return ConstStr(getattr(receiver.value, attr)())
            return replace(receiver, default=getattr(receiver.default, attr)())
        if attr == "get" and receiver.__class__ is Unknown and (default := config_default(self, node)) is not None:
            return default  # `config.get("size", 64)` in an `__init__`: what the module is built with by default
        if isinstance(receiver, (Unknown, Ref)):
            done = self.scaler_call(node, state)  # `scaler.step(optimizer)`
            if done is None:
                done = self.call_foreign_submodule(node, state)  # `self.model.encoder(x)`
            if done is not None:
                return done
        if isinstance(receiver, Ref):
            return self.tensor_method(receiver, attr, node, state)
        if isinstance(receiver, NumpyArr):
            args, kwargs = self.eval_args(node, state)
            if attr in ("fill", "sort", "put", "itemset", "resize", "setfield") or attr.startswith("__i"):
                self.silent_numpy_write(receiver, node, state)
            if attr in ("copy", "astype"):
                return UNKNOWN
            return receiver if attr in ("view", "reshape", "ravel", "transpose", "squeeze", "T") else UNKNOWN
        if isinstance(receiver, ModuleVal) and attr == "apply" and receiver.cls is not None and \
                self.class_context(receiver) is self.ctx and self.autograd_function(receiver.cls):
            return self.apply_custom_function(receiver.cls, node, state)  # `Fn().apply(x)`: as `Fn.apply(x)`
        if isinstance(receiver, ModuleVal):
            return self.module_method(receiver, attr, node, state)
        if isinstance(receiver, Optimizer):
            return self.optimizer_method(receiver, attr, node, state)
        if isinstance(receiver, Seq):
            args, kwargs = self.eval_args(node, state)
            if attr in ("append", "extend", "insert", "clear") and isinstance(node.func, ast.Attribute):
                base = node.func.value
                added = tuple(args[-1:]) if attr != "extend" else (
                    args[0].items if args and isinstance(args[0], Seq) else ())
                now = Seq((), True) if attr == "clear" else inserted(receiver, args) if attr == "insert" else \
                    Seq(receiver.items + added, True)
                if isinstance(base, ast.Name):
                    state.env[base.id] = now
                elif isinstance(base, ast.Attribute) and dotted(base):  # `self.saved_log_probs.append(...)`
                    self.assign(base, now, state, node)
            if attr == "pop" and receiver.items:
                return receiver.items[-1]
            return UNKNOWN
        if isinstance(receiver, DictVal):
            args, kwargs = self.eval_args(node, state)
            done = dict_method(receiver, attr, args, kwargs)
            if done is None:
                return self.unknown_call(args, kwargs, node, state)
            if done[1] is not None and isinstance(node.func.value, ast.Name):  # `cfg.pop('type')`: the dict changed
                state.env[node.func.value.id] = done[1]
            elif done[1] is not None and dotted(node.func.value):
                self.assign(node.func.value, done[1], state, node)
            return done[0]
        if isinstance(receiver, SuperVal):  # `super().__init__(...)`, `super().forward(x)`
            found = find_method(self.class_context(receiver.instance).class_table, receiver.instance.cls, attr,
                                after=receiver.owner)
            args, kwargs = self.eval_args(node, state)
            if found is None:
                base = self.call_torch_base(receiver.instance, attr, args, kwargs, node, state)
                if base is not None:
                    return base
                return NoneVal() if attr == "__init__" else self.unknown_call(args, kwargs, node, state)
            return self.call_function(FuncVal(found[1], found[0], receiver.instance), args, kwargs, node, state)
        if isinstance(receiver, CtxVal):
            args, _ = self.eval_args(node, state)
            if attr == "save_for_backward":
                receiver.saved.extend(flat_refs(args))
            return NoneVal()
        if isinstance(receiver, ClassVal) and attr == "apply" and self.autograd_function(receiver.name):
            return self.apply_custom_function(receiver.name, node, state)
        if isinstance(receiver, ClassVal):  # `Base.__init__(self, ...)`, `Base.forward(self, x)`
            found = find_method(self.ctx.class_table, receiver.name, attr)
            if found is not None:
                args, kwargs = self.eval_args(node, state)
                return self.call_function(FuncVal(found[1], found[0]), args, kwargs, node, state)
        if isinstance(receiver, FuncVal) and attr == "__call__":
            args, kwargs = self.eval_args(node, state)
            return self.call_function(receiver, args, kwargs, node, state)
        if isinstance(receiver, QualVal):
            return self.call_qualified(receiver.qual + "." + attr, node, state)
        args, kwargs = self.eval_args(node, state)
        if isinstance(receiver, Unknown) and isinstance(node.func.value, ast.Name) and \
                relatively_imported(self.ctx.tree, node.func.value.id):
            # `from . import thops; thops.split_feature(z)`: a module imported relatively has no qualified name,
            # but its file is in the workspace, as for `from .thops import split_feature`
            followed = self.follow_elsewhere(None, args, kwargs, node, state, plain_only=True)
            if followed is not None:
                return followed
        if attr in PARAMETERS and isinstance(receiver, Unknown) and model_key(node.func.value, state.env) is not None:
            # a model built by code we cannot see (`model`, `self.qf1`, `self.models["encoder"]`)
            return ParamsOf(self.foreign_module(node.func.value, state.env), named=attr == "named_parameters")
        if attr == "backward" and isinstance(receiver, Unknown):
            return NoneVal()
        if attr == "requires_grad_" and isinstance(receiver, Unknown) and \
                model_key(node.func.value, state.env) is not None and \
                (args[:1] or [kwargs.get("requires_grad")]) == [BoolConst(False)]:
            # `self.target = copy.deepcopy(critic); self.target.requires_grad_(False)`: a module we cannot see, frozen
            self.ctx.root.frozen_modules.add(self.foreign_module(node.func.value, state.env))
        parsed = parse_call(receiver, attr, node, self.ctx.context_of(node).tree) if isinstance(receiver, Unknown) \
            else None  # the command line's defaults (cli_options)
        if parsed is not None:
            return parsed
        return self.unknown_call(args, kwargs, node, state)

    def tensor_method(self, ref: Ref, attr: str, node: ast.Call, state: State):
        args, kwargs = self.eval_args(node, state)
        if attr in ("split", "rsplit") and splits_text(node):  # `path.split(os.sep)` on an argument: a str
            return self.unknown_call(args, kwargs, node, state)
        return self.tensor_method_with(ref, attr, args, kwargs, node, state)

    def tensor_method_with(self, ref: Ref, attr: str, args: list, kwargs, node: ast.Call, state: State):
        """`ref.attr(*args, **kwargs)`, its arguments evaluated (also `torch.Tensor.attr(ref, *args)`)."""
        if attr == "backward":
            self.backward(ref, node, state, kwargs, positional_gradient=bool(args))
            return NoneVal()
        if attr == "detach":
            return self.derive(ref, state, node, detached=True, same_storage=True, describe="`.detach()`")
        if attr == "sample" and all(state.obj(oid).describe == DISTRIBUTION for oid in ref.objs):
            return self.new_tensor(state, node, Tri.NO, describe="a sample")  # no graph: `rsample()` keeps one
        if attr in ("numpy",):
            return NumpyArr(self.first(ref, state).memory, next(iter(ref.objs)))
        if attr == "requires_grad_":
            leaf_flags.requires_grad_call(self, ref, args[0] if args else kwargs.get("requires_grad", BoolConst(True)),
                                          node, state)
            return ref
        if attr == "detach_":  # the tensor itself leaves the graph: no history, no grad from here on
            detached_views.report(self, ref, node, state)
            for oid in ref.objs:
                state.update(oid, requires_grad=Tri.NO, leaf=False, history=frozenset(), detached=True)
            return ref
        if attr in NOT_DATA_MUTATIONS:
            return ref
        if attr in NON_TENSOR_METHODS:
            if attr in COUNTS:  # `x.size(0)`, `x.numel()`: numbers; `x.size()`: a tuple of them
                rank = self.rank(ref, state) if attr in ("size", "dim", "ndimension") else None
                if not node.args and not node.keywords and rank is not None:  # sizes all known: `x.dim() == 2` is
                    return sizes_of_rank(rank) if attr == "size" else Number(rank)  # decided, as torch decides it
                return SIZES if attr == "size" and not node.args and not node.keywords else Number()
            return UNKNOWN
        if attr in PARAMETERS and from_caller(ref, state):  # `def train(model)`
            return ParamsOf(self.foreign_module(node.func.value), named=attr == "named_parameters")
        if attr in ("clone",):
            return self.apply_op("clone", "method", {"self": ref}, node, state)
        to_integral = attr in INTEGRAL_CASTS or attr in ("to", "type") and any(
            names.integral_dtype(self.ctx.imports.qualname(a))
            for a in list(node.args) + [kw.value for kw in node.keywords if kw.arg == "dtype"])
        if to_integral:  # `idx.long()`, `x.to(torch.long)`: an integer (or bool) copy, which cannot require grad
            return self.new_tensor(state, node, Tri.NO, describe="the converted tensor")
        if attr in SELF_WHEN_ALREADY:
            return self.self_or_copy(ref, attr, node, state)
        if attr in ("to", "float", "double", "half", "bfloat16", "cpu", "cuda", "type", "type_as"):
            return self.derive(ref, state, node, detached=False, same_storage=False, describe="the converted tensor")
        if attr in NEW_FACTORIES:  # `x.new_zeros(n)`: like `torch.zeros(n)`, whatever `x` is
            return self.factory(attr[4:], args, kwargs, node, state)
        attr = elementwise_extremum(attr, [ref] + args, kwargs, state)
        fact_args = self.bind_params(attr, [ref] + args, kwargs)
        fact = facts.op(attr, "method", self.layout_kinds(attr, fact_args, state)) if fact_args is not None else None
        if fact is not None and (split := self.split_view(fact, [ref], False, node, state)) is not None:
            return split
        if fact is not None:
            return self.apply_fact(fact, fact_args, node, state, kwargs)
        if attr in INTEGER_RESULTS:
            return self.new_tensor(state, node, Tri.NO)  # `d.argmin(1)`: indices, no graph
        if is_inplace_name(attr) or library_inplace(attr, ref, state):
            twin = attr[:-1]
            self.mutate(ref, node, "method", attr, state, inputs=args + list(kwargs.values()), op_name=twin)
            return ref
        if attr in ("unbind", "split", "chunk", "tensor_split", "hsplit", "vsplit", "dsplit", "unflatten"):
            # torch forbids in-place changes to the pieces of unbind/split/chunk only; tensor_split and its h/v/d
            # forms return plain slices (measured: `x.tensor_split(2)[0].mul_(2)` runs)
            return Seq((self.make_view(ref, node, state, attr, multi=attr in MULTI_OUTPUT_VIEWS), "*"))
        out = self.derive(ref, state, node, detached=False, same_storage=False, inputs=args)
        for oid in out.objs:  # a method we have no facts for may return anything, a tuple for instance
            state.update(oid, opaque=True)
        return out

    # ------------------------------------------------------------------ functions
    def passed_down_closure(self, fn: FuncVal) -> bool:
        """A closure a function up the stack defined and passed down to the helper calling it
        (`conjugate_gradients(Fvp, b)` calling `Avp(p)`): it runs one level below its definer, whatever the helpers
        between, so the call limit allows it one call more. Not a closure its own definer calls."""
        if not isinstance(fn.closure, dict) or self.depth > MAX_CALL_DEPTH or len(self.func_stack) < 2:
            return False
        under = self.ctx.root.defined_under
        return any(defined_in(fn.node, f, under) for f in self.func_stack[:-1] if f is not fn.node) and \
            not defined_in(fn.node, self.func_stack[-1], under)

    def not_followed(self, fn: FuncVal, ctx, args, kwargs, node, state: State):
        """A call of a function the walk does not go into: what it gives is unknown and may come from its arguments,
        unless the function runs under `@torch.no_grad()` (stylegan2's `ada_augment.tune(real_pred)`): then it
        carries no graph of theirs."""
        if self.ctx.probe is not None:
            probe_unfollowed(self, fn, lambda: ctx, args, kwargs, node, state)
        out = self.unknown_call(list(args) + ([fn.bound] if isinstance(fn.bound, Ref) else []), kwargs, node, state)
        if decorator_grad(fn.node, ctx.imports) is Tri.NO:
            return self.new_tensor(state, node, Tri.NO, describe=f"the result of `{fn.node.name}` (under no_grad)")
        return out

    def call_function(self, fn: FuncVal, args, kwargs, node, state):
        if fn.by_default:  # a lambda or function that a constructor's default chose
            with self.by_default(state, fn.by_default):
                return self.call_function(replace(fn, by_default=""), args, kwargs, node, state)
        target = fn.node
        if isinstance(target, ast.Lambda):
            return self.call_lambda(fn, args, kwargs, node, state)
        ctx = self.ctx.context_of(target)  # a function of another workspace file walks with that file's names
        # A recursive call is followed one level down: `repackage_hidden(h)` calls itself on each item of the (h, c)
        # tuple and detaches each tensor there (word_language_model, AWD-LSTM); unfollowed, its result kept the graph.
        too_deep = self.depth >= MAX_CALL_DEPTH and not leaf_helper(target, ctx.imports) and \
            not self.passed_down_closure(fn) or self.func_stack.count(target) >= 2
        budget = self.ctx.budget
        size = getattr(target, "end_lineno", 0) - getattr(target, "lineno", 0)
        if too_deep or budget.inlined + size > MAX_INLINED_STATEMENTS or (
                size > MAX_HELPER_DEFINITION and target.name not in WALKED_AT_ANY_SIZE and
                (self.in_function or self.depth > 0)):  # a script's own `main()` is walked whole
            return self.not_followed(fn, ctx, args, kwargs, node, state)
        if ctx is not self.ctx.root and not budget.follows_foreign(target):
            return self.not_followed(fn, ctx, args, kwargs, node, state)
        budget.inlined += size
        self.ctx.touched.add(target)
        attr_mark = len(self.ctx.attr_writes)
        storages, modules = set(), set()
        for value in list(args) + list(kwargs.values()):
            self.collect_reachable(value, state, storages, modules)
        frames = self.frames + (Frame(node, target, target.name, frozenset(storages), frozenset(modules)),)
        sub = type(self)(ctx, frames, self.depth + 1, self.loop_pass, self.func_stack + (target,), fn.cls)
        sub.start_id = fresh_id()
        # A script's module-level names (`model`, `opt`, `w`) are the globals of the functions it calls: what
        # they hold at the call is what the function reads (a training step, an LBFGS closure).
        sub.module_env = state.env if self.depth == 0 and not self.in_function else self.module_env
        inner = state.copy(env=Env(sub.module_env) if sub.module_env and ctx is self.ctx.root and
                           self.ctx.functions.get(target.name) is target else Env(enclosing_names(fn, state)))
        inner.objs.recent = {}  # what the call writes: only that is copied back below
        inner.dead = False
        all_args = ([fn.bound] if fn.bound is not None and not is_staticmethod(target) else []) + list(args)
        self.bind_arguments(target, all_args, kwargs, inner, sub, self_val=fn.bound)
        grad = decorator_grad(target, ctx.imports)
        if grad is not None:
            inner.grad = grad
        if self.ctx.probe is not None:
            self.ctx.probe(target, inner, frames)
        entry = inner.branch  # (a body's `if` may leave its key on `inner`: the returns' own branches follow it)
        end = sub.run_block(target.body, inner)
        # Effects on objects flow back to the caller; local names do not.
        exits = [s for _, s in sub.returns] + ([end] if not end.dead else [])
        if len(exits) == 1 and not exits[0].dead:
            merged = exits[0]  # one way out (most helpers): read below, never changed, so no copy to join
        else:
            merged = join_states(exits) if exits else end
        self.settle_attributes(fn, target, merged, state)
        self.global_attributes(sub.dotted_writes, target, merged, state)
        for arg_node, filled in filled_arguments(target, node, args, kwargs, len(all_args) - len(args), merged.env):
            self.assign(arg_node, filled, state, node)  # `add_if_not_none(block, layer)` appended to `block`
        value = NoneVal()
        if sub.returns:
            value = sub.returns[0][0]
            for v, _ in sub.returns[1:]:
                value = join_val(value, v)
            if len(sub.returns) > 1 and not isinstance(value, (Ref, ModuleVal, FuncVal)):
                value = self.default_return(sub.returns, entry) or value
        # The callee's temporaries die with it: keep what the result and module state can still reach.
        keep = set()
        reachable_oids(value, keep)
        for v in self.ctx.attr_writes[attr_mark:]:  # module state the call set (self.memory = ...)
            reachable_oids(v, keep)
        start = sub.start_id
        written = merged.objs.recent if merged.objs.__class__ is ObjTable else None
        for oid, obj in merged.objs.items() if written is None else \
                [(oid, dict.get(merged.objs, oid)) for oid in written]:
            if obj is not None and (oid <= start or oid in keep or obj.param_of is not None):
                state.objs[oid] = obj
        state.muts = merged.muts
        state.freed = merged.freed
        if grad is None and sets_grad_mode(target):  # `def validate(...): torch.set_grad_enabled(False)`
            state.grad = merged.grad
        return value

    def settle_attributes(self, fn: FuncVal, target, merged: State, caller: State) -> None:
        """The attributes a method sets hold what its way out says: `self.flag = False; if opt.x: self.flag = True`
        leaves the flag unknown to the methods that read it later, not True (assign() records each write as it
        runs, the one in the branch last). The caller's own name for the attribute follows."""
        mod = fn.bound
        attrs = self.ctx.instance_attrs.get(mod.id) if isinstance(mod, ModuleVal) and mod.cls else None
        params = target.args.posonlyargs + target.args.args
        if attrs is None or not params:
            return
        prefix = params[0].arg + "."
        settled = {key[len(prefix):]: val for key, val in merged.env.items()
                   if key.startswith(prefix) and key.count(".") == 1}
        if not settled:
            return
        attrs.update(settled)
        for key, val in caller.env.items():
            if val is mod and "." not in key:
                for attr, settled_val in settled.items():
                    if f"{key}.{attr}" in caller.env:
                        caller.env[f"{key}.{attr}"] = settled_val

    def global_attributes(self, written: set, target, merged: State, caller: State) -> None:
        """`del critic_net.saved_values[:]` in a function of the script on its global `critic_net`, whose list the
        script's own loop fills: the caller's name for the attribute holds what the function left there."""
        params = {a.arg for a in target.args.posonlyargs + target.args.args + target.args.kwonlyargs}
        for key in written:
            root = key.split(".", 1)[0]
            if root not in params and key in caller.env and key in merged.env and \
                    caller.env.get(root) is merged.env.get(root) is not None:
                caller.env[key] = merged.env[key]
                self.dotted_writes.add(key)

    def collect_reachable(self, value, state: State, storages: set, modules: set, depth: int = 0) -> None:
        if depth > 4:
            return
        if isinstance(value, Ref):
            for oid in value.objs:
                storages.add(state.obj(oid).storage)
                storages.add(state.obj(oid).memory)
        elif isinstance(value, NumpyArr):
            storages.add(value.memory)
        elif isinstance(value, Seq):
            for item in value.items:
                self.collect_reachable(item, state, storages, modules, depth + 1)
        elif isinstance(value, DictVal):
            for _, item in value.items:
                self.collect_reachable(item, state, storages, modules, depth + 1)
        elif isinstance(value, ParamsOf):
            modules.update(self.owned_modules(value.module))
        elif isinstance(value, ModuleVal):
            modules.update(self.owned_modules(value.id))

    def bind_arguments(self, fn, args, kwargs, state: State, sub, self_val=None) -> None:
        a = fn.args
        annotations = {p.arg: p.annotation for p in a.posonlyargs + a.args + a.kwonlyargs if p.annotation is not None}
        positional = [p.arg for p in a.posonlyargs + a.args]
        defaults = dict(zip(positional[len(positional) - len(a.defaults):], a.defaults))
        values = list(args)
        more = getattr(kwargs, "more", None)  # a `**mapping` of unknown keys, which the **kwargs parameter holds
        for name in positional:
            if values:
                state.env[name] = values.pop(0)
            elif name in kwargs:
                state.env[name] = kwargs[name]
            elif name in defaults:
                state.env[name] = sub.default_value(fn, defaults[name], state, name)
            else:
                state.env[name] = sub.default_config(fn, annotations.get(name), name) or UNKNOWN
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            state.env[p.arg] = kwargs[p.arg] if p.arg in kwargs else \
                sub.default_value(fn, d, state, p.arg) if d is not None else UNKNOWN
        if a.vararg:
            state.env[a.vararg.arg] = Seq(tuple(values))
        if a.kwarg:
            # `def zeros(*size, **kwargs)`: the keywords no parameter took, which the body may pass on
            named = set(positional) | {p.arg for p in a.kwonlyargs}
            state.env[a.kwarg.arg] = DictVal(tuple((k, v) for k, v in kwargs.items() if k not in named), more)


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def defined_in(target, outer, known: dict) -> bool:
    """`target in ast.walk(outer)`: is the def or lambda `outer` itself or defined somewhere in it? The definitions
    under each `outer` are listed once per walk (`known`, by id), not walked again at every call of a closure."""
    if target.__class__ not in DEFINITIONS:
        return target in ast.walk(outer)
    found = known.get(id(outer))
    if found is None or found[0] is not outer:
        found = known[id(outer)] = (outer, frozenset(n for n in ast.walk(outer) if n.__class__ in DEFINITIONS))
    return target in found[1]


def enclosing_names(fn: FuncVal, state: State) -> dict:
    """The names a function defined in a function reads from the scope that defines it: that scope's names now
    when it is the caller (`out = _inner_forward(x)`, `cp.checkpoint(_inner_forward, x)` in the forward that
    defined it: what they hold at the call), else what they held where it was defined; none for other functions."""
    if not isinstance(fn.closure, dict):
        return {}
    here = state.env.get(fn.node.name)
    return state.env if isinstance(here, FuncVal) and here.node is fn.node else fn.closure


def inserted(items: Seq, args: list) -> Seq:
    """The list after `layers.insert(i, layer)`: the layer before the item at `i` (a constant) as Python places
    it; at an index the walk does not know, a list whose items come in an unknown order."""
    if len(args) != 2 or "*" in items.items:
        return Seq((UNKNOWN, "*"), True)
    index, value = args
    if not (isinstance(index, Number) and type(index.value) is int):
        return Seq((UNKNOWN, "*"), True)
    at = index.value if index.value >= 0 else max(0, len(items.items) + index.value)
    at = min(at, len(items.items))
    return Seq(items.items[:at] + (value,) + items.items[at:], True)


def shadowed(func: ast.AST, state: State) -> bool:
    """Does a name of the scope hide the import that `func` starts with? Base_Agent's `from torch.optim import
    optimizer` at the top of the file, and `def take_optimisation_step(self, optimizer, network, loss)`:
    `optimizer.step()` is the argument's step. Imports are never bound in `state.env`; a local alias of a module
    (`nn = torch.nn`, a QualVal) reads as the import does."""
    head = func
    while head.__class__ is ast.Attribute:
        head = head.value
    if head.__class__ is not ast.Name:
        return False
    value = state.env.get(head.id)
    return value is not None and value.__class__ is not QualVal


def parameter_subclass(qual: str) -> bool:
    """`geoopt.ManifoldParameter`: a class of a library (not torch's own) named as a kind of Parameter, which
    subclasses torch.nn.Parameter (what `ManifoldParameter(t)` makes is a leaf that requires grad)."""
    module, _, name = qual.rpartition(".")
    return bool(module) and not module.startswith("torch") and name.endswith("Parameter") and name != "Parameter"


def library_inplace(attr: str, ref: Ref, state: State) -> bool:
    """`ManifoldParameter(t).proj_()`: a method torch does not have, of a library's Parameter subclass, named with
    torch's sign of an in-place method (a trailing underscore): it changes the parameter in place."""
    return attr.endswith("_") and not attr.startswith("_") and bool(ref.objs) and \
        all(state.obj(o).describe == LIBRARY_PARAMETER for o in ref.objs)


# torch functions that compute one new tensor (no view) from all the tensors given: `torch.min(*qs)` of a list of
# unknown length is one of them whatever the count (`min(x)` reduces, `min(a, b)` compares; both keep the graphs).
SPREAD_COMBINES = frozenset({"min", "max", "minimum", "maximum", "fmin", "fmax", "add", "sub", "mul", "div",
                             "matmul", "mm", "bmm", "einsum", "chain_matmul", "block_diag", "cartesian_prod",
                             "where", "atan2", "hypot", "lerp", "addcmul", "addcdiv", "logaddexp"})


def spread_sequence(walker, node: ast.Call) -> Seq | None:
    """The sequence of tensors that `f(*xs)` spreads as its positional arguments, when that is the call's one `*`:
    of known length (`qs = (q1, q2)`), its items are the arguments; of unknown length (a comprehension's tensors),
    which argument each item becomes is unknown, what the result is computed from is not."""
    starred = [a for a in node.args if a.__class__ is ast.Starred]
    if len(starred) != 1 or walker.last_starred[0] is not starred[0]:
        return None
    spread = walker.last_starred[1]
    if isinstance(spread, Seq) and any(isinstance(i, Ref) for i in spread.items):
        return spread
    return None
