"""The flow walk: an abstract interpreter over Python's `ast`, one scope at a time, top to bottom.

It tracks which names hold tensors, whether they require grad, which storages ops saved for backward,
and the grad mode; it reports in-place changes and backward() calls to the rules (`sink`), which
decide what is a finding. Branches are walked separately and joined; loop bodies are walked twice, so
what one iteration leaves behind meets the next. Calls to functions and module classes of the same
file are followed (bounded in depth and size) so helpers that change their arguments are seen.
"""

from __future__ import annotations

import ast
import copy
import time
from dataclasses import replace

from .. import facts
from ..pyparse import statements
from ..project import ACTIVE as ACTIVE_PROJECT
from . import names
from .values import (
    UNKNOWN, BoolConst, ClassVal, DictVal, Frame, FuncVal, GradCtx, ModuleVal, Mutation, NoneVal, Number,
    NumpyArr, Optimizer, ParamsOf, Ref, Save, Seq, State, TObj, Tri, Unknown, fresh_id, join_states, join_tobj,
    join_val,
)

MAX_CALL_DEPTH = 3
MAX_INLINED_STATEMENTS = 4000  # per analysed scope
MAX_LOOP_PASSES = 2
MAX_REF_TARGETS = 4  # a name that may hold more tensors than this is summarised as one
MAX_FOREIGN_DEFINITION = 60  # lines: a function (or a class's __init__) of another file longer than this is unknown
MAX_FOREIGN_LINES = 150  # lines of other files followed per scope

NO_GRAD_CONTEXTS = {
    "torch.no_grad", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad",
    "torch.inference_mode", "torch.autograd.inference_mode", "torch.autograd.grad_mode.inference_mode",
}
ENABLE_GRAD_CONTEXTS = {"torch.enable_grad", "torch.autograd.enable_grad", "torch.autograd.grad_mode.enable_grad"}
SET_GRAD_ENABLED = {"torch.set_grad_enabled", "torch.autograd.set_grad_enabled",
                    "torch.autograd.grad_mode.set_grad_enabled"}
FACTORIES = {
    "tensor", "as_tensor", "zeros", "ones", "empty", "full", "rand", "randn", "randint", "arange", "linspace",
    "logspace", "eye", "zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like",
    "randint_like", "randperm", "from_numpy", "tril_indices", "triu_indices", "empty_strided", "normal",
    "bernoulli", "multinomial", "scalar_tensor",
}
FULL_REDUCTIONS = {"sum", "mean", "prod", "norm", "max", "min", "amax", "amin", "logsumexp", "std", "var",
                   "median", "nansum", "nanmean", "dot", "vdot", "trace", "all", "any", "count_nonzero"}
LOSSES_DEFAULT_MEAN = {
    "mse_loss", "l1_loss", "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "smooth_l1_loss", "huber_loss", "kl_div", "soft_margin_loss", "margin_ranking_loss", "hinge_embedding_loss",
    "poisson_nll_loss", "gaussian_nll_loss", "cosine_embedding_loss", "triplet_margin_loss", "ctc_loss",
    "multilabel_soft_margin_loss", "multi_margin_loss", "multilabel_margin_loss",
}
ELEMENTWISE = {
    "add", "sub", "mul", "div", "true_divide", "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "pow", "abs",
    "sin", "cos", "tan", "tanh", "sigmoid", "relu", "gelu", "silu", "elu", "leaky_relu", "clamp", "clip", "square",
    "reciprocal", "sign", "floor", "ceil", "round", "where", "masked_fill", "lerp", "addcmul", "addcdiv", "dropout",
    "softplus", "hardtanh", "relu6", "selu", "mish", "hardswish", "hardsigmoid", "logit", "erf", "clone",
    "contiguous", "float", "double", "half", "to", "type_as", "detach", "softmax", "log_softmax",
}
# Tensor methods ending in "_" that change autograd metadata, not the values.
NOT_DATA_MUTATIONS = {"requires_grad_", "share_memory_", "retain_grad", "detach_", "record_stream", "pin_memory_"}
# Tensor attributes/methods that give something that is not a tensor.
NON_TENSOR_METHODS = {
    "size", "dim", "ndimension", "numel", "item", "tolist", "stride", "storage_offset", "is_contiguous",
    "data_ptr", "element_size", "nelement", "get_device", "is_floating_point", "is_complex", "untyped_storage",
    "register_hook", "backward", "__len__", "equal", "allclose", "is_set_to", "has_names",
}
NON_TENSOR_ATTRS = {"shape", "dtype", "device", "ndim", "is_leaf", "requires_grad", "layout", "is_cuda", "names",
                    "grad_fn", "is_sparse", "itemsize", "nbytes"}
VIEW_ATTRS = {"T", "mT", "H", "mH", "real", "imag"}
TUPLE_OPS = {"topk", "sort", "max", "min", "median", "nanmedian", "mode", "kthvalue", "std_mean", "var_mean",
             "aminmax", "unique", "unique_consecutive", "frexp", "histogram", "lu", "qr", "svd", "slogdet", "eig",
             "eigh", "lstsq", "cummax", "cummin", "geqrf", "triangular_solve", "sort_stable", "batch_norm_stats"}
VALUES_INDICES_OPS = {"topk", "sort", "max", "min", "median", "nanmedian", "mode", "kthvalue", "cummax", "cummin"}
RECURRENT_MODULES = {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer",
                     "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer", "TransformerDecoderLayer"}
MODULE_PASSTHROUGH = {"train", "eval", "to", "cuda", "cpu", "float", "double", "half", "bfloat16", "requires_grad_",
                      "apply", "type"}
MODULE_NOOPS = {"zero_grad", "register_buffer", "register_parameter", "add_module", "load_state_dict"}


class Budget:
    def __init__(self, deadline: float | None):
        self.deadline = deadline
        self.inlined = 0
        self.foreign = 0  # lines of other files' definitions followed

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise AnalysisTimeout()


class AnalysisTimeout(Exception):
    pass


class ClassInfo:
    def __init__(self, node: ast.ClassDef, imports: names.ImportMap):
        self.node = node
        self.name = node.name
        self.methods = {n.name: n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.bases = [imports.qualname(b) or (b.id if isinstance(b, ast.Name) else None) for b in node.bases]


class FileInfo:
    """What one parse of a file tells every scope: imports, top-level functions, classes. Built once per tree."""

    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.canonical: dict = {}  # class name -> `self` built once (checker.canonical_instance)
        self.imports = names.ImportMap()
        self.functions: dict[str, ast.AST] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.import_nodes: list = []  # every import statement, in order (nested ones too)
        nested = []
        for node in statements(tree.body):  # statements only: imports and classes (nested ones too)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.imports.add_import(node)
                self.import_nodes.append(node)
            elif isinstance(node, ast.ClassDef):
                nested.append(node)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = ClassInfo(node, self.imports)
        for node in nested:
            if node.name not in self.classes:
                self.classes[node.name] = ClassInfo(node, self.imports)


class ModuleContext:
    """One walk's view of the file: the file's facts plus the module instances this walk created."""

    def __init__(self, tree_or_info, sink, deadline: float | None = None):
        info = tree_or_info if isinstance(tree_or_info, FileInfo) else FileInfo(tree_or_info)
        self.tree = info.tree
        self.imports = info.imports
        self.functions = info.functions
        self.classes = info.classes
        self.info = info
        self.touched: set = set()  # function and class nodes whose bodies this walk read
        self.sink = sink
        self.budget = Budget(deadline)
        self.instance_attrs: dict[int, dict[str, object]] = {}  # module instance id -> attr -> Val
        self.instance_class: dict[int, str] = {}
        self.param_ids: dict[tuple[int, str], int] = {}  # (module id, attr) -> obj id
        self.params_all: dict[int, int] = {}  # module id -> obj id standing for "every parameter"
        self.seq = 0
        self.building: set[int] = set()
        self.modules: dict[int, ModuleVal] = {}  # instance id -> module, for containers' members
        self.attr_writes: list = []  # values stored on module instances, in order (kept alive across calls)
        # Other workspace files (gradguard/project.py): their contexts share everything above but their names.
        self.project = ACTIVE_PROJECT.get()
        self.path = getattr(sink, "path", None)
        self.root = self
        self.others: dict = {}  # path -> that file's context in this walk
        self.class_owner: dict = {}  # module instance id -> the context of its class, when another file's

    def close(self) -> None:
        """The walk is over: break the cycles (root, the other files' contexts, the Reporter's back reference) so
        that reference counting frees it at once. A keystroke's walk left ~2,000 objects per edit to the cyclic
        collector, whose passes then cost the server 13 ms every few keystrokes."""
        for other in self.others.values():
            other.root = other.others = other.sink = None
        self.others = {}
        if getattr(self.sink, "ctx", None) is self:
            self.sink.ctx = None
        self.root = self.sink = None

    def next_seq(self) -> int:
        root = self.root
        root.seq += 1
        return root.seq

    def other_file(self, parsed) -> "ModuleContext":
        """Another file's context for this walk: its imports, functions and classes; the Reporter, budget,
        sequence numbers and module instances of the analysed file (what happens there is reported here)."""
        root = self.root
        ctx = root.others.get(parsed.path)
        if ctx is None:
            if parsed.info is None:
                parsed.tag()
                parsed.info = FileInfo(parsed.tree)
            ctx = copy.copy(root)
            ctx.tree, ctx.imports = parsed.info.tree, parsed.info.imports
            ctx.functions, ctx.classes, ctx.path = parsed.info.functions, parsed.info.classes, parsed.path
            root.others[parsed.path] = ctx
        return ctx

    def context_of(self, node) -> "ModuleContext":
        """The context of the file that defines `node` (nodes of other files carry `_gg_file`)."""
        parsed = getattr(node, "_gg_file", None)
        return self.root if parsed is None else self.root.others.get(parsed.path, self)


_DISPATCH: dict = {}


def _dispatch(cls, prefix: str, node_type: type):
    """The `stmt_X` / `expr_X` method for a node type (or None), looked up once per type rather than by building
    its name on every node walked."""
    key = (prefix, node_type)
    try:
        return _DISPATCH[key]
    except KeyError:
        method = _DISPATCH[key] = getattr(cls, prefix + node_type.__name__, None)
        return method


class Interpreter:
    def __init__(self, ctx: ModuleContext, frames: tuple = (), depth: int = 0, loop_pass: int = 0,
                 func_stack: tuple = (), class_name: str | None = None):
        self.ctx = ctx
        self.frames = frames
        self.depth = depth
        self.loop_pass = loop_pass
        self.func_stack = func_stack
        self.class_name = class_name
        self.returns: list[tuple[object, State]] = []
        self.loop_exits: list[list[State]] = []
        self.in_function = False
        self.start_id = fresh_id()  # objects with larger ids were made inside this walk

    # ------------------------------------------------------------------ statements
    def run_block(self, body: list[ast.stmt], state: State) -> State:
        for stmt in body:
            if state.dead:
                break
            state = self.stmt(stmt, state)
        return state

    def stmt(self, node: ast.stmt, state: State) -> State:
        self.ctx.budget.check()
        method = _dispatch(Interpreter, "stmt_", type(node))
        if method is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, state)
            return state
        return method(self, node, state)

    def stmt_Expr(self, node, state):
        if isinstance(node.value, ast.Call):
            node.value._gg_statement = True  # `torch.set_grad_enabled(False)` on its own line sets the mode
        self.expr(node.value, state)
        return state

    def stmt_Assign(self, node, state):
        value = self.expr(node.value, state)
        for target in node.targets:
            self.assign(target, value, state, node.value)
        return state

    def stmt_AnnAssign(self, node, state):
        if node.value is not None:
            self.assign(node.target, self.expr(node.value, state), state, node.value)
        return state

    def stmt_AugAssign(self, node, state):
        op = type(node.op)
        symbol = AUG_SYMBOLS.get(op, "?")
        rhs = self.expr(node.value, state)
        target = node.target
        if isinstance(target, ast.Subscript):
            base = self.expr(target.value, state)
            index = self.expr(target.slice, state)
            if isinstance(base, Ref):
                self.mutate(base, node, "setitem", f"[...] {symbol}=", state,
                            index_basic=is_basic_index(target.slice, index), inputs=[rhs])
                return state
            if isinstance(base, NumpyArr):
                self.silent_numpy_write(base, node, state)
                return state
            if isinstance(base, (Seq, DictVal)):
                item = self.expr(target, state)  # `cache["h"] += 1`: __iadd__ on the tensor in the container
                if isinstance(item, Ref):
                    self.mutate(item, node, "augassign", f"{symbol}=", state, inputs=[rhs], op_name=BIN_OPS.get(op))
            return state
        current = self.expr(target, state)
        if isinstance(current, Ref) and op is not ast.MatMult:  # tensors have no __imatmul__: `x @= m` rebinds
            self.mutate(current, node, "augassign", f"{symbol}=", state, inputs=[rhs], op_name=BIN_OPS.get(op))
            return state
        if isinstance(current, NumpyArr):
            self.silent_numpy_write(current, node, state)
            return state
        # Not a tensor (or not known to be): `a += b` is `a = a + b`.
        result = self.binop(op, current, rhs, node, state)
        self.assign(target, result, state, node)
        return state

    def stmt_If(self, node, state):
        test = self.expr(node.test, state)
        known = self.truth(test)
        if known is True:
            return self.run_block(node.body, state)
        if known is False:
            return self.run_block(node.orelse, state)
        body_state, else_state = state.copy(), state.copy()
        given, absent = self.optional_argument_tests(node.test, state)
        if given and not body_state.path_condition:
            body_state.path_condition = state.optional.get(given) or f"whether the caller passes `{given}`"
        if absent and not else_state.path_condition:
            else_state.path_condition = state.optional.get(absent) or f"whether the caller passes `{absent}`"
        a = self.run_block(node.body, body_state)
        b = self.run_block(node.orelse, else_state)
        a.path_condition = b.path_condition = state.path_condition
        return join_states([a, b])

    def optional_argument_tests(self, test: ast.AST, state: State) -> tuple[str | None, str | None]:
        """`if cache is not None` / `if cache` on an argument that defaults to None: (body needs it, else needs it).

        Such a branch runs only when the caller passes the optional argument (a cache at generation time, say),
        so what happens there depends on the caller."""
        fn = self.func_stack[-1] if self.func_stack else None
        if fn is None or isinstance(fn, ast.Lambda):
            return None, None
        optional = optional_parameters(fn) | set(state.optional)
        if not optional:
            return None, None
        given = absent = None
        for part in (test.values if isinstance(test, ast.BoolOp) else [test]):
            if isinstance(part, ast.Compare) and len(part.ops) == 1 and isinstance(part.left, ast.Name) and \
                    part.left.id in optional and isinstance(part.comparators[0], ast.Constant) and \
                    part.comparators[0].value is None:
                if isinstance(part.ops[0], ast.IsNot):
                    given = part.left.id
                elif isinstance(part.ops[0], ast.Is):
                    absent = part.left.id
            elif isinstance(part, ast.Name) and part.id in optional:
                given = part.id
            elif isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not) and \
                    isinstance(part.operand, ast.Name) and part.operand.id in optional:
                absent = part.operand.id
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            return None, None  # `a is not None or b`: the body may run without it
        return given, absent

    def stmt_For(self, node, state):
        iterable = self.expr(node.iter, state)
        return self.loop(node, state, lambda st: self.assign(node.target, self.iter_item(iterable, node, st), st,
                                                            node.iter))

    stmt_AsyncFor = stmt_For

    def stmt_While(self, node, state):
        self.expr(node.test, state)
        return self.loop(node, state, lambda st: self.expr(node.test, st))

    def loop(self, node, state, bind):
        entry = state
        exits = [entry]
        current = entry.copy()
        self.loop_exits.append([])
        saved_pass = self.loop_pass
        for n in range(MAX_LOOP_PASSES):
            self.loop_pass = saved_pass * MAX_LOOP_PASSES + n + 1
            bind(current)
            after = self.run_block(node.body, current)
            continues = [s for s in getattr(self, "_continues", [])]
            exits.append(after)
            if after.dead and not continues:
                break
            current = join_states([after.copy()]) if not after.dead else after.copy()
            current.dead = False
        self.loop_pass = saved_pass
        breaks = self.loop_exits.pop()
        out = join_states(exits + breaks)
        if node.orelse:
            out = self.run_block(node.orelse, out)
        return out

    def stmt_Break(self, node, state):
        if self.loop_exits:
            self.loop_exits[-1].append(state.copy())
        state.dead = True
        return state

    def stmt_Continue(self, node, state):
        state.dead = True
        return state

    def stmt_Return(self, node, state):
        value = self.expr(node.value, state) if node.value is not None else NoneVal()
        self.returns.append((value, state.copy()))
        self.ctx.sink.on_return(self, value, node, state)
        state.dead = True
        return state

    def stmt_Raise(self, node, state):
        if node.exc is not None:
            self.expr(node.exc, state)
        state.dead = True
        return state

    def stmt_With(self, node, state):
        previous = (state.grad, state.grad_assumed, state.inference)
        for item in node.items:
            ctx_val = self.expr(item.context_expr, state)
            if isinstance(ctx_val, GradCtx):
                state.grad = ctx_val.enabled
                state.grad_assumed = False
                state.inference = ctx_val.inference
            elif state.grad is Tri.NO and not isinstance(ctx_val, QualVal):
                # `with ctx():` chosen at run time (`torch.enable_grad if ... else nullcontext`) may turn grad on
                state.grad = Tri.MAYBE
            if item.optional_vars is not None:
                self.assign(item.optional_vars, UNKNOWN, state, item.context_expr)
        state = self.run_block(node.body, state)
        state.grad, state.grad_assumed, state.inference = previous
        return state

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, node, state):
        entry = state.copy()
        body = self.run_block(node.body, state)
        body = self.run_block(node.orelse, body) if node.orelse and not body.dead else body
        outs = [body]
        for handler in node.handlers:
            start = join_states([entry, body]) if not body.dead else entry.copy()
            start.dead = False
            if handler.name:
                start.env[handler.name] = UNKNOWN
            outs.append(self.run_block(handler.body, start))
        out = join_states(outs)
        if node.finalbody:
            was_dead = out.dead
            out.dead = False
            out = self.run_block(node.finalbody, out)
            out.dead = out.dead or was_dead
        return out

    stmt_TryStar = stmt_Try

    def stmt_FunctionDef(self, node, state):
        for deco in node.decorator_list:
            self.expr(deco, state)
        state.env[node.name] = FuncVal(node, self.class_name)
        return state

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, node, state):
        state.env[node.name] = ClassVal(node.name)
        return state

    def stmt_Delete(self, node, state):
        for target in node.targets:
            if isinstance(target, ast.Name):
                state.env.pop(target.id, None)
        return state

    def stmt_Match(self, node, state):
        self.expr(node.subject, state)
        outs = [state.copy()]
        for case in node.cases:
            outs.append(self.run_block(case.body, state.copy()))
        return join_states(outs)

    def stmt_Import(self, node, state):
        return state

    stmt_ImportFrom = stmt_Import

    # ------------------------------------------------------------------ assignment
    def assign(self, target: ast.AST, value, state: State, value_node: ast.AST | None) -> None:
        if isinstance(target, ast.Name):
            state.env[target.id] = value
            if state.path_condition:
                state.optional[target.id] = state.path_condition
            else:
                state.optional.pop(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = self.unpack(value, len(target.elts), value_node, state)
            for elt, item in zip(target.elts, items):
                if isinstance(elt, ast.Starred):
                    self.assign(elt.value, UNKNOWN, state, value_node)
                else:
                    self.assign(elt, item, state, value_node)
        elif isinstance(target, ast.Attribute):
            base = self.expr(target.value, state)
            if target.attr == "requires_grad" and isinstance(base, Ref) and isinstance(value, BoolConst):
                for oid in base.objs:
                    if value.value:
                        state.update(oid, requires_grad=Tri.YES, leaf=True)
                    else:
                        state.update(oid, requires_grad=Tri.NO, leaf=False)
                return
            key = dotted(target)
            if key:
                state.env[key] = value
            if isinstance(base, ModuleVal) and base.cls and base.id in self.ctx.instance_attrs:
                # module state (`self.memory = ...`) outlives this call: the next call sees it
                self.ctx.instance_attrs[base.id][target.attr] = value
                self.ctx.attr_writes.append(value)
        elif isinstance(target, ast.Subscript):
            base = self.expr(target.value, state)
            index = self.expr(target.slice, state)
            if isinstance(base, Ref):
                self.mutate(base, target, "setitem", "[...] =", state, index_basic=is_basic_index(target.slice, index),
                            inputs=[value], stmt_node=target)
            elif isinstance(base, NumpyArr):
                self.silent_numpy_write(base, target, state)
            elif isinstance(base, (Seq, DictVal)) and isinstance(target.value, ast.Name):
                key = const_key(target.slice)
                if isinstance(base, Seq) and isinstance(key, int) and -len(base.items) <= key < len(base.items):
                    items = list(base.items)
                    items[key] = value
                    state.env[target.value.id] = Seq(tuple(items), base.mutable)
                elif isinstance(base, DictVal) and key is not None:
                    items = [(k, v) for k, v in base.items if k != key] + [(key, value)]
                    state.env[target.value.id] = DictVal(tuple(items))
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, state, value_node)

    def unpack(self, value, count: int, node, state: State) -> list:
        if isinstance(value, Seq) and len(value.items) == count:
            return list(value.items)
        if isinstance(value, Seq) and value.items and value.items[-1] == "*":
            template = value.items[0]
            return [self.clone_template(template, state) for _ in range(count)]
        if isinstance(value, Ref):
            if not self.known_single_tensor(value, state):
                # A tuple from code we cannot see into (or an argument of unknown type): fresh values, not views.
                return [self.clone_template(value, state) for _ in range(count)]
            # Iterating a tensor unbinds it: the pieces are views of one base, returned together.
            return [self.make_view(value, node, state, "unbind", multi=True) for _ in range(count)]
        return [UNKNOWN] * count

    def known_single_tensor(self, ref: Ref, state: State) -> bool:
        """Made by a torch op we know returns one tensor (so iterating it unbinds it)."""
        return all(not (o := state.obj(oid)).opaque and not o.is_argument and o.storage > 0 for oid in ref.objs)

    def clone_template(self, template, state: State):
        """A fresh tensor like `template` (an item of a sequence of unknown length)."""
        if isinstance(template, Ref):
            oids = []
            for oid in template.objs:
                new = fresh_id()
                obj = state.objs[oid]
                if obj.opaque or obj.is_argument or obj.storage <= 0:
                    obj = replace(obj, storage=fresh_id(), memory=fresh_id(), shape=None, scalar=Tri.MAYBE,
                                  opaque=True, is_argument=False, leaf=False, leaf_view=False, view_kind=None)
                state.objs[new] = obj
                oids.append(new)
            return Ref(frozenset(oids))
        return template

    def iter_item(self, iterable, node, state: State):
        if isinstance(iterable, Seq):
            items = [i for i in iterable.items if i != "*"]
            if iterable.items and iterable.items[-1] == "*":
                return self.clone_template(iterable.items[0], state)
            if not items:
                return UNKNOWN
            out = items[0]
            for item in items[1:]:
                out = join_val(out, item)
            return out
        if isinstance(iterable, ParamsOf):
            return self.all_params_ref(iterable.module, state)
        if isinstance(iterable, Ref):
            if not self.known_single_tensor(iterable, state):
                return self.clone_template(iterable, state)
            return self.make_view(iterable, node, state, "unbind", multi=True)
        if isinstance(iterable, ModuleVal) and iterable.members:
            out = iterable.members[0]
            for m in iterable.members[1:]:
                out = join_val(out, m)
            return out
        return UNKNOWN

    # ------------------------------------------------------------------ expressions
    def expr(self, node: ast.AST | None, state: State):
        if node is None:
            return NoneVal()
        method = _dispatch(Interpreter, "expr_", type(node))
        if method is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, state)
            return UNKNOWN
        return method(self, node, state)

    def expr_Constant(self, node, state):
        if isinstance(node.value, bool):
            return BoolConst(node.value)
        if isinstance(node.value, (int, float, complex)):
            return Number(node.value)
        if node.value is None:
            return NoneVal()
        if isinstance(node.value, str):
            return ConstStr(node.value)
        return UNKNOWN

    def expr_Name(self, node, state):
        if node.id in state.env:
            return state.env[node.id]
        if node.id in self.ctx.functions:
            return FuncVal(self.ctx.functions[node.id])
        if node.id in self.ctx.classes:
            return ClassVal(node.id)
        return UNKNOWN

    def expr_NamedExpr(self, node, state):
        value = self.expr(node.value, state)
        self.assign(node.target, value, state, node.value)
        return value

    def expr_Tuple(self, node, state):
        return Seq(tuple(self.expr(e, state) for e in node.elts))

    def expr_List(self, node, state):
        return Seq(tuple(self.expr(e, state) for e in node.elts), mutable=True)

    expr_Set = expr_List

    def expr_Dict(self, node, state):
        items = []
        for k, v in zip(node.keys, node.values):
            val = self.expr(v, state)
            if k is not None:
                self.expr(k, state)
                key = const_key(k)
                if key is not None:
                    items.append((key, val))
        return DictVal(tuple(items))

    def expr_IfExp(self, node, state):
        known = self.truth(self.expr(node.test, state))
        if known is not None:  # `x.expand(...) if shared else x.repeat(...)` with `shared=False` given or default
            return self.expr(node.body if known else node.orelse, state)
        a = self.expr(node.body, state)
        b = self.expr(node.orelse, state)
        return join_val(a, b)

    def expr_BoolOp(self, node, state):
        vals = [self.expr(v, state) for v in node.values]
        out = vals[0]
        for v in vals[1:]:
            out = join_val(out, v)
        return out

    def expr_Compare(self, node, state):
        vals = [self.expr(node.left, state)] + [self.expr(c, state) for c in node.comparators]
        if any(isinstance(v, Ref) for v in vals):
            return self.new_tensor(state, node, Tri.NO)
        if len(node.ops) == 1 and all(constant_value(v) is not NOT_CONSTANT for v in vals):
            a, b = (constant_value(v) for v in vals)
            try:
                return BoolConst(bool(COMPARE[type(node.ops[0])](a, b)))
            except (KeyError, TypeError):
                return UNKNOWN
        return UNKNOWN

    def expr_Lambda(self, node, state):
        return FuncVal(node, self.class_name)

    def expr_Await(self, node, state):
        return self.expr(node.value, state)

    def expr_Starred(self, node, state):
        self.expr(node.value, state)
        return UNKNOWN

    def expr_ListComp(self, node, state):
        # Comprehensions run their element once per item; a walk of the element once finds what it does.
        inner = state.copy()
        for gen in node.generators:
            it = self.expr(gen.iter, inner)
            self.assign(gen.target, self.iter_item(it, gen, inner), inner, gen.iter)
            for cond in gen.ifs:
                self.expr(cond, inner)
        elt = self.expr(node.elt, inner) if hasattr(node, "elt") else UNKNOWN
        self.merge_side_effects(state, inner)
        if isinstance(elt, Ref):
            return Seq((elt, "*"), mutable=True)
        return UNKNOWN

    expr_GeneratorExp = expr_ListComp
    expr_SetComp = expr_ListComp

    def expr_DictComp(self, node, state):
        inner = state.copy()
        for gen in node.generators:
            it = self.expr(gen.iter, inner)
            self.assign(gen.target, self.iter_item(it, gen, inner), inner, gen.iter)
        self.expr(node.key, inner)
        self.expr(node.value, inner)
        self.merge_side_effects(state, inner)
        return UNKNOWN

    def merge_side_effects(self, state: State, inner: State) -> None:
        state.objs.update(inner.objs)
        state.muts.update(inner.muts)
        state.freed.update(inner.freed)

    def expr_UnaryOp(self, node, state):
        operand = self.expr(node.operand, state)
        if isinstance(node.op, ast.USub) and isinstance(operand, Ref):
            return self.apply_op("neg", "operator", {"input": operand}, node, state)
        if isinstance(node.op, ast.Not):
            return UNKNOWN
        if isinstance(operand, Number):
            return Number()
        if isinstance(operand, Ref):
            return self.new_tensor(state, node, self.rg(operand, state), history=self.history(operand, state))
        return UNKNOWN

    def expr_BinOp(self, node, state):
        left = self.expr(node.left, state)
        right = self.expr(node.right, state)
        return self.binop(type(node.op), left, right, node, state)

    def binop(self, op, left, right, node, state):
        if not isinstance(left, Ref) and not isinstance(right, Ref):
            if isinstance(left, NumpyArr) or isinstance(right, NumpyArr):
                return UNKNOWN
            if isinstance(left, Number) and isinstance(right, Number):
                return Number()
            if isinstance(left, Seq) and isinstance(right, Seq) and op is ast.Add:
                return Seq(left.items + right.items, left.mutable)
            if isinstance(left, Seq) and isinstance(right, Number) and op is ast.Mult:
                return left  # [item] * n: the same items, repeated
            return UNKNOWN
        name = BIN_OPS.get(op)
        if name is None:
            return self.opaque_result([left, right], node, state)
        if not isinstance(left, Ref):
            # `2 * x` is `x.__rmul__(2)`; `2 - x` is rsub: the tensor is the op's input either way for saving.
            if name in ("mul", "add"):
                left, right = right, left
            elif name == "pow":
                return self.apply_op("pow", "operator", {"input": left, "exponent": right}, node, state)
            else:
                return self.apply_op(name, "operator", {"input": right, "other": left}, node, state, reflected=True)
        return self.apply_op(name, "operator", {"input": left, "other": right}, node, state)

    def expr_Subscript(self, node, state):
        base = self.expr(node.value, state)
        index = self.expr(node.slice, state)
        if isinstance(base, Ref):
            basic = is_basic_index(node.slice, index)
            if basic:
                return self.make_view(base, node, state, "__getitem__")
            return self.apply_op("__getitem__", "operator", {"self": base}, node, state, index_kind="advanced")
        key = const_key(node.slice)
        if isinstance(base, Seq):
            if base.items and base.items[-1] == "*":
                return self.clone_template(base.items[0], state)
            if isinstance(key, int) and -len(base.items) <= key < len(base.items):
                return base.items[key]
            if isinstance(node.slice, ast.Slice):
                return Seq(base.items[slice_const(node.slice)], base.mutable) if slice_const(node.slice) else UNKNOWN
            if base.items:
                out = base.items[0]
                for item in base.items[1:]:
                    out = join_val(out, item)
                return out
            return UNKNOWN
        if isinstance(base, DictVal):
            for k, v in base.items:
                if k == key:
                    return v
            return UNKNOWN
        if isinstance(base, ModuleVal) and base.members:
            if isinstance(key, int) and -len(base.members) <= key < len(base.members):
                return base.members[key]
            return UNKNOWN
        if isinstance(base, NumpyArr):
            return base  # a slice of the array shares its memory
        del index
        return UNKNOWN

    def expr_Attribute(self, node, state):
        key = dotted(node)
        if key and key in state.env:
            return state.env[key]
        qual = self.ctx.imports.qualname(node)
        if qual is not None:
            return QualVal(qual)
        base = self.expr(node.value, state)
        attr = node.attr
        if isinstance(base, Ref):
            if attr == "data":
                return self.derive(base, state, node, detached=True, same_storage=False, describe="`.data`")
            if attr == "grad":
                return self.new_tensor(state, node, Tri.NO, describe="a `.grad` tensor")
            if attr in VIEW_ATTRS:
                return self.make_view(base, node, state, attr)
            if attr in NON_TENSOR_ATTRS:
                return UNKNOWN
            return UNKNOWN
        if isinstance(base, ModuleVal):
            return self.module_attr(base, attr, node, state)
        if isinstance(base, Unknown) and attr in ("weight", "bias"):
            return UNKNOWN
        return UNKNOWN

    # ------------------------------------------------------------------ calls
    def expr_Call(self, node, state):
        func = node.func
        qual = self.ctx.imports.qualname(func)
        if qual is not None:
            return self.call_qualified(qual, node, state)
        if isinstance(func, ast.Attribute):
            key = dotted(func)
            receiver = state.env[key] if key and key in state.env else None
            if receiver is None:
                receiver = self.expr(func.value, state)
                return self.call_method(receiver, func.attr, node, state)
            return self.call_value(receiver, node, state)
        callee = self.expr(func, state)
        return self.call_value(callee, node, state)

    def eval_args(self, node: ast.Call, state: State):
        args = [self.expr(a, state) for a in node.args]
        kwargs = {}
        for kw in node.keywords:
            val = self.expr(kw.value, state)
            if kw.arg is not None:
                kwargs[kw.arg] = val
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
        args, kwargs = self.eval_args(node, state)
        return self.call_elsewhere(None, args, kwargs, node, state)

    def unknown_call(self, args, kwargs, node, state):
        tensors = flat_refs(list(args) + list(kwargs.values()))
        if not tensors:
            return UNKNOWN
        # The callee may be a model holding parameters: its result may require grad whatever its inputs.
        return self.opaque_result(tensors, node, state, requires_grad=Tri.MAYBE)

    def opaque_result(self, inputs, node, state, requires_grad: Tri | None = None, graph_saves: str | None = None):
        """A tensor computed by something we cannot see into: it keeps its inputs' graphs."""
        refs = flat_refs(inputs)
        rg = Tri.NO
        history = frozenset()
        for r in refs:
            rg = rg | self.rg(r, state)
            history |= self.history(r, state)
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
                             rg is Tri.YES and not state.grad_assumed, self.loop_pass)}
        return self.new_tensor(state, node, rg, history=history, describe="the result", opaque=True)

    def call_qualified(self, qual: str, node: ast.Call, state: State):
        args, kwargs = self.eval_args(node, state)
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
        if qual.startswith("torch.nn.init."):
            if args and isinstance(args[0], Ref):
                self.mutate(args[0], node, "function", qual.rsplit(".", 1)[-1], state, grad_override=Tri.NO)
            return args[0] if args else UNKNOWN
        if qual.startswith("torch.optim.") and qual.count(".") >= 2 and qual.rsplit(".", 1)[-1][:1].isupper():
            return Optimizer(tuple(self.param_modules(args[0] if args else kwargs.get("params"), state)), node)
        if qual in ("torch.autograd.backward",):
            target = args[0] if args else kwargs.get("tensors")
            self.backward(target, node, state, kwargs, positional_gradient=len(args) > 1)
            return NoneVal()
        if qual in ("torch.autograd.grad",):
            target = args[0] if args else kwargs.get("outputs")
            if not truthy(kwargs.get("create_graph")):
                given = dict(kwargs)
                if "grad_outputs" in kwargs:
                    given["gradient"] = kwargs["grad_outputs"]
                self.backward(target, node, state, given, positional_gradient=len(args) > 2, is_grad=True)
            return UNKNOWN
        if qual in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            rg = kwargs.get("requires_grad", args[1] if len(args) > 1 else None)
            if rg == BoolConst(False):
                return self.new_tensor(state, node, Tri.NO)
            return self.new_leaf(state, node, "parameter")
        if qual == "torch.from_numpy" and args:
            arr = args[0]
            memory = arr.memory if isinstance(arr, NumpyArr) else fresh_id()
            ref = self.new_tensor(state, node, Tri.NO, memory=memory, describe="a tensor sharing a NumPy array")
            if isinstance(node.args[0], ast.Name) and not isinstance(arr, NumpyArr):
                state.env[node.args[0].id] = NumpyArr(memory)
            return ref
        cls = names.nn_class(qual)
        if cls is not None:
            return self.build_module(cls, args, kwargs, node, state)
        fn = names.torch_function(qual)
        if fn is not None:
            name, form = fn
            if name in FACTORIES:
                return self.factory(name, args, kwargs, node, state)
            return self.call_op(name, form, args, kwargs, node, state)
        if qual.startswith("numpy.") or qual.startswith("np."):
            out = kwargs.get("out")
            if isinstance(out, NumpyArr):
                self.silent_numpy_write(out, node, state)
            return UNKNOWN
        return self.call_elsewhere(qual, args, kwargs, node, state)

    def call_elsewhere(self, qual, args, kwargs, node, state):
        """A name imported from another workspace file: its function or class (found by gradguard/project.py, with
        jedi) is followed like one of this file, with that file's names. Anything else is unknown code."""
        project = self.ctx.project
        found = None
        if project is not None and self.depth < MAX_CALL_DEPTH:
            found = project.resolve(self.ctx.path, self.ctx.tree, node.func, qual, state.env)
        if found is None:
            return self.unknown_call(args, kwargs, node, state)
        parsed, definition = found
        # Other files are followed on a budget of their own: a helper that changes its argument is small; a
        # model class from another file whose __init__ builds a tree of submodules is not worth its cost.
        body = definition
        if isinstance(definition, ast.ClassDef):
            body = next((n for n in definition.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and n.name == "__init__"), None)
        size = (body.end_lineno - body.lineno + 1) if body is not None else 0
        budget = self.ctx.budget
        if size > MAX_FOREIGN_DEFINITION or budget.foreign + size > MAX_FOREIGN_LINES:
            return self.unknown_call(args, kwargs, node, state)
        other = self.ctx.other_file(parsed)  # call_function charges the lines it walks there to the budget
        if isinstance(definition, ast.ClassDef):
            walker = Interpreter(other, self.frames, self.depth, self.loop_pass, self.func_stack)
            return walker.instantiate(definition.name, args, kwargs, node, state)
        return self.call_function(FuncVal(definition), args, kwargs, node, state)

    def call_method(self, receiver, attr: str, node: ast.Call, state: State):
        if isinstance(receiver, Ref):
            return self.tensor_method(receiver, attr, node, state)
        if isinstance(receiver, NumpyArr):
            args, kwargs = self.eval_args(node, state)
            if attr in ("fill", "sort", "put", "itemset", "resize", "setfield") or attr.startswith("__i"):
                self.silent_numpy_write(receiver, node, state)
            if attr in ("copy", "astype"):
                return UNKNOWN
            return receiver if attr in ("view", "reshape", "ravel", "transpose", "squeeze", "T") else UNKNOWN
        if isinstance(receiver, ModuleVal):
            return self.module_method(receiver, attr, node, state)
        if isinstance(receiver, Optimizer):
            self.eval_args(node, state)
            if attr == "step":
                for mid in receiver.modules:
                    ref = self.all_params_ref(mid, state, materialized_only=True)
                    if ref.objs:
                        self.mutate(ref, node, "optimizer", "optimizer.step()", state, grad_override=Tri.NO)
            return UNKNOWN
        if isinstance(receiver, Seq):
            args, kwargs = self.eval_args(node, state)
            if attr in ("append", "extend", "insert") and isinstance(node.func, ast.Attribute):
                base = node.func.value
                if isinstance(base, ast.Name):
                    added = tuple(args[-1:]) if attr != "extend" else (
                        args[0].items if args and isinstance(args[0], Seq) else ())
                    state.env[base.id] = Seq(receiver.items + added, True)
            if attr == "pop" and receiver.items:
                return receiver.items[-1]
            return UNKNOWN
        if isinstance(receiver, FuncVal) and attr == "__call__":
            args, kwargs = self.eval_args(node, state)
            return self.call_function(receiver, args, kwargs, node, state)
        if isinstance(receiver, QualVal):
            return self.call_qualified(receiver.qual + "." + attr, node, state)
        args, kwargs = self.eval_args(node, state)
        if attr == "backward" and isinstance(receiver, Unknown):
            return NoneVal()
        return self.unknown_call(args, kwargs, node, state)

    def tensor_method(self, ref: Ref, attr: str, node: ast.Call, state: State):
        args, kwargs = self.eval_args(node, state)
        if attr == "backward":
            self.backward(ref, node, state, kwargs, positional_gradient=bool(args))
            return NoneVal()
        if attr == "detach":
            return self.derive(ref, state, node, detached=True, same_storage=True, describe="`.detach()`")
        if attr in ("numpy",):
            return NumpyArr(self.first(ref, state).memory, next(iter(ref.objs)))
        if attr == "requires_grad_":
            flag = args[0] if args else kwargs.get("requires_grad", BoolConst(True))
            if flag != BoolConst(False):
                for oid in ref.objs:
                    state.update(oid, requires_grad=Tri.YES, leaf=True, describe="a leaf tensor (requires_grad_)")
            return ref
        if attr in NOT_DATA_MUTATIONS:
            return ref
        if attr in NON_TENSOR_METHODS:
            return UNKNOWN
        if attr in ("clone",):
            return self.apply_op("clone", "method", {"self": ref}, node, state)
        if attr in ("to", "float", "double", "half", "bfloat16", "cpu", "cuda", "type", "type_as", "contiguous",
                    "long", "int", "bool"):
            return self.derive(ref, state, node, detached=False, same_storage=False, describe="the converted tensor")
        fact_args = self.bind_params(attr, [ref] + args, kwargs)
        fact = facts.op(attr, "method", self.arg_kinds(fact_args)) if fact_args is not None else None
        if fact is not None:
            return self.apply_fact(fact, fact_args, node, state, kwargs)
        if is_inplace_name(attr):
            twin = attr[:-1]
            self.mutate(ref, node, "method", attr, state, inputs=args + list(kwargs.values()), op_name=twin)
            return ref
        if attr in ("unbind", "split", "chunk", "tensor_split", "hsplit", "vsplit", "dsplit", "unflatten"):
            return Seq((self.make_view(ref, node, state, attr, multi=attr != "unflatten"), "*"))
        out = self.derive(ref, state, node, detached=False, same_storage=False, inputs=args)
        for oid in out.objs:  # a method we have no facts for may return anything, a tuple for instance
            state.update(oid, opaque=True)
        return out

    # ------------------------------------------------------------------ torch ops
    def call_op(self, name, form, args, kwargs, node, state):
        if "out" in kwargs and isinstance(kwargs["out"], Ref):
            self.sink.on_out_argument(self, node, args, kwargs, state)
            self.mutate(kwargs["out"], node, "out", f"{name}(out=...)", state, inputs=args)
            return kwargs["out"]
        bound = self.bind_params(name, args, kwargs)
        fact = facts.op(name, form, self.arg_kinds(bound)) if bound is not None else None
        if fact is not None:
            return self.apply_fact(fact, bound, node, state, kwargs)
        if name.endswith("_") and not name.startswith("_") and args and isinstance(args[0], Ref):
            self.mutate(args[0], node, "function", f"torch.{name}", state, inputs=args[1:], op_name=name[:-1])
            return args[0]
        if form == "functional" and truthy(kwargs.get("inplace")) and args and isinstance(args[0], Ref):
            self.mutate(args[0], node, "inplace-arg", f"{name}(inplace=True)", state, op_name=name)
            return args[0]
        if name in ("unbind", "split", "chunk", "tensor_split") and args and isinstance(args[0], Ref):
            return Seq((self.make_view(args[0], node, state, name, multi=True), "*"))
        if name in ("stack", "cat", "concat", "concatenate", "hstack", "vstack") and args and isinstance(args[0], Seq):
            return self.opaque_result([i for i in args[0].items if isinstance(i, Ref)], node, state)
        return self.opaque_result(list(args) + list(kwargs.values()), node, state)

    @property
    def sink(self):
        return self.ctx.sink

    def bind_params(self, name: str, args: list, kwargs: dict) -> dict | None:
        params = facts.params(name)
        if params is None:
            return None
        bound = {}
        for p, a in zip(params, args):
            bound[p] = a
        for k, v in kwargs.items():
            if k in params:
                bound[k] = v
            elif k == "dim" or k == "inplace":
                bound[k] = v
        for extra in ("dim", "inplace"):
            if extra not in bound and len(args) > len(params):
                pass
        if len(args) > len(params):
            bound["dim"] = args[len(params)]
        return bound

    @staticmethod
    def arg_kinds(bound: dict) -> dict:
        kinds = {}
        for k, v in bound.items():
            if isinstance(v, Ref):
                kinds[k] = "tensor"
            elif isinstance(v, Number):
                kinds[k] = "number"
            elif isinstance(v, BoolConst):
                kinds[k] = "true" if v.value else "false"
            elif isinstance(v, NoneVal):
                kinds[k] = "absent"
            elif isinstance(v, Unknown) and v.tensorish:
                kinds[k] = "tensor"
            else:
                kinds[k] = "unknown"
        return kinds

    def apply_op(self, name, form, bound, node, state, reflected=False, index_kind=None, alt_params=None):
        params = facts.params(name)
        if params and not alt_params:
            bound = {p: v for p, v in zip(params, bound.values())}
        kinds = self.arg_kinds(bound)
        if index_kind:
            kinds["index"] = index_kind
        if alt_params:
            kinds.update(alt_params)
        fact = facts.op(name, form, kinds) or facts.op(name, "method", kinds) or facts.op(name, "torch", kinds)
        if fact is None:
            return self.opaque_result(list(bound.values()), node, state)
        # Map our names onto the fact's parameter names positionally when they differ.
        ordered = list(bound.values())
        rebound = {p: v for p, v in zip(fact.params, ordered)}
        return self.apply_fact(fact, rebound, node, state, {})

    def apply_fact(self, fact, bound: dict, node, state: State, kwargs: dict, module: ModuleVal | None = None):
        tensor_params = {p: v for p, v in bound.items() if isinstance(v, Ref) and p in fact.params}
        grad_on = state.grad
        rg_of = {p: self.rg(v, state) for p, v in tensor_params.items()}
        listed = [r for p, v in bound.items() if p in fact.params and not isinstance(v, Ref)
                  for r in flat_refs([v])]  # torch.cat([a, b]): a list of tensors
        for r in listed:
            rg_of.setdefault("*list", Tri.NO)
            rg_of["*list"] = rg_of["*list"] | self.rg(r, state)
        if any(isinstance(v, Unknown) and p in fact.params for p, v in bound.items()):
            rg_of["*unknown"] = Tri.MAYBE  # an argument we know nothing about may be a tensor that requires grad
        any_rg = Tri.NO
        for v in rg_of.values():
            any_rg = any_rg | v
        out_rg = Tri.NO if grad_on is Tri.NO else (any_rg if grad_on is Tri.YES else any_rg.join(Tri.NO))
        history = frozenset()
        if out_rg is not Tri.NO:
            for v in list(tensor_params.values()) + listed:
                history |= self.history(v, state)
        seq = self.ctx.next_seq()
        saves = set()
        first = fact.params[0] if fact.params else None
        first_ref = bound.get(first) if first else None
        mutated = fact.inplace and isinstance(first_ref, Ref)
        if out_rg is not Tri.NO:
            for p, ref in tensor_params.items():
                if mutated and p == first:
                    continue  # what an in-place op keeps of its target is the new value: saved after the change
                cond = Tri.NO
                for q in fact.saves.get(p, ()):
                    cond = cond | rg_of.get(q, Tri.NO)
                if cond is Tri.NO:
                    continue
                for oid in ref.objs:
                    obj = state.obj(oid)
                    saves.add(Save(fresh_id(), seq, obj.storage, obj.memory, node, fact.name, p, fact.grad_fn,
                                   cond is Tri.YES and grad_on is Tri.YES and not state.grad_assumed, self.loop_pass))
            if fact.frees_saved:
                saves.add(Save(fresh_id(), seq, None, None, node, fact.name, "buffers", fact.grad_fn,
                               out_rg is Tri.YES and not state.grad_assumed, self.loop_pass))
        if mutated:
            others = [v for p, v in bound.items() if p != first]
            if module is not None:
                kind, label = "module", f"{module.kind}(inplace=True)"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    not self.ctx.imports.qualname(node.func):
                kind, label = "method", op_label(node, fact.name)
            elif isinstance(node, ast.Call) and truthy_kw(node, "inplace"):
                kind, label = "inplace-arg", f"{fact.name}(inplace=True)"
            else:
                kind, label = "function", op_label(node, fact.name)
            self.mutate(first_ref, node, kind, label, state, inputs=others, op_name=fact.inplace_twin or fact.name,
                        new_saves=(saves, fact, out_rg, seq), module_node=module.node if module else None)
            return first_ref
        scalar = self.result_scalar(fact.name, tensor_params, bound, kwargs, state)
        shape = self.result_shape(fact.name, tensor_params, bound, kwargs, state)
        if fact.view and isinstance(first_ref, Ref):
            view = self.make_view(first_ref, node, state, fact.name, multi=fact.multi_output_view)
            if fact.multi_output_view:
                return Seq((view, "*"))
            return view
        result_saves = set()
        if out_rg is not Tri.NO and fact.saves_result:
            cond = Tri.NO
            for q in fact.saves_result:
                cond = cond | rg_of.get(q, Tri.NO)
            if cond is not Tri.NO:
                result_saves.add(("result", cond))
        ref = self.new_tensor(state, node, out_rg, history=history | frozenset(saves), scalar=scalar,
                              describe=f"the output of `{fact.name}`", shape=shape,
                              opaque=fact.name in TUPLE_OPS or bool(fact.saves_outputs))
        if fact.name in VALUES_INDICES_OPS and (fact.name in ("topk", "sort", "cummax", "cummin", "kthvalue", "mode")
                                                 or "dim" in bound or "dim" in kwargs):
            indices = self.new_tensor(state, node, Tri.NO, describe=f"the indices from `{fact.name}`")
            if result_saves:
                self.add_result_saves(ref, result_saves, fact, node, seq, grad_on, state)
            return Seq((ref, indices))
        if result_saves:
            self.add_result_saves(ref, result_saves, fact, node, seq, grad_on, state)
        return ref

    def add_result_saves(self, ref, result_saves, fact, node, seq, grad_on, state) -> None:
        (oid,) = ref.objs
        obj = state.obj(oid)
        for _, cond in result_saves:
            save = Save(fresh_id(), seq, obj.storage, obj.memory, node, fact.name, "result", fact.grad_fn,
                        cond is Tri.YES and grad_on is Tri.YES and not state.grad_assumed, self.loop_pass)
            obj = replace(obj, history=obj.history | {save})
        state.objs[oid] = obj

    def result_shape(self, name, tensor_params, bound, kwargs, state):
        shapes = [self.shape(v, state) for v in tensor_params.values()]
        if name in LOSSES_DEFAULT_MEAN:
            red = kwargs.get("reduction", bound.get("reduction"))
            if red is None:
                return ()
            if isinstance(red, ConstStr) and red.value == "none" and name not in ("cross_entropy", "nll_loss"):
                return broadcast(shapes)
            return () if isinstance(red, ConstStr) else None
        if name in FULL_REDUCTIONS:
            has_dim = any(k in bound or k in kwargs for k in ("dim", "axis"))
            return None if has_dim else ()
        if name in ELEMENTWISE or name in ("neg", "pow", "sub", "rsub"):
            return broadcast(shapes)
        if name in ("matmul", "mm") and len(shapes) == 2 and shapes[0] and shapes[1] and \
                len(shapes[0]) == 2 and len(shapes[1]) == 2:
            return (shapes[0][0], shapes[1][1])
        if name == "linear":
            x, w = self.shape(bound.get("input"), state), self.shape(bound.get("weight"), state)
            if x and w and len(w) == 2:
                return x[:-1] + (w[0],)
        return None

    def result_scalar(self, name, tensor_params, bound, kwargs, state) -> Tri:
        if name in LOSSES_DEFAULT_MEAN:
            red = kwargs.get("reduction")
            return Tri.MAYBE if red is not None else Tri.YES
        if name in FULL_REDUCTIONS:
            has_dim = any(k in bound or k in kwargs for k in ("dim", "axis")) or "dim" in bound
            return Tri.MAYBE if has_dim else Tri.YES
        if name in ELEMENTWISE or name in ("neg",):
            scalars = [self.first(v, state).scalar for v in tensor_params.values()]
            if any(s is Tri.NO for s in scalars):
                return Tri.NO
            if scalars and all(s is Tri.YES for s in scalars):
                return Tri.YES
        return Tri.MAYBE

    def factory(self, name, args, kwargs, node, state):
        rg = kwargs.get("requires_grad")
        shape = factory_shape(name, args, kwargs, lambda v: self.shape(v, state))
        scalar = factory_scalar(name, args, kwargs)
        if name == "from_numpy":
            return self.new_tensor(state, node, Tri.NO)
        if rg == BoolConst(True):
            return self.new_leaf(state, node, "leaf tensor", scalar=scalar, shape=shape)
        if rg is not None and rg != BoolConst(False):
            return self.new_tensor(state, node, Tri.MAYBE, scalar=scalar, shape=shape)
        return self.new_tensor(state, node, Tri.NO, scalar=scalar, shape=shape)

    # ------------------------------------------------------------------ modules
    def build_module(self, cls: str, args, kwargs, node, state):
        info = facts.module(cls)
        inplace = truthy(kwargs.get("inplace"))
        if info and info.get("inplace_arg") and not inplace:
            pos = info.get("inplace_pos")
            if pos is not None and len(args) > pos:
                inplace = truthy(args[pos])
        members = ()
        if info and info.get("container") == "sequential":
            members = tuple(a for a in args if isinstance(a, ModuleVal))
            if len(members) != len(args):
                members = ()  # OrderedDict or *layers: we don't know the members
        elif info and info.get("container") == "list" and args and isinstance(args[0], Seq):
            members = tuple(a for a in args[0].items if a != "*")
        mod = ModuleVal(fresh_id(), cls, None, inplace, members, node)
        self.ctx.modules[mod.id] = mod
        return mod

    def instantiate(self, cls_name: str, args, kwargs, node, state):
        info = self.ctx.classes.get(cls_name)
        mod = ModuleVal(fresh_id(), None, cls_name, node=node)
        self.ctx.instance_class[mod.id] = cls_name
        if self.ctx is not self.ctx.root:
            self.ctx.class_owner[mod.id] = self.ctx  # a class of another file
        if info is not None and "__init__" in info.methods:
            self.init_instance(mod, args, kwargs, node, state)
        return mod

    def class_context(self, mod: ModuleVal) -> ModuleContext:
        return self.ctx.class_owner.get(mod.id, self.ctx.root)

    def init_instance(self, mod: ModuleVal, args, kwargs, node, state):
        owner = self.class_context(mod)
        info = owner.classes.get(mod.cls)
        if info is None or mod.id in self.ctx.instance_attrs or mod.id in self.ctx.building:
            return
        self.ctx.building.add(mod.id)
        self.ctx.touched.add(info.node)  # its attributes come from the class body and __init__
        init = info.methods.get("__init__")
        attrs: dict[str, object] = {}
        if init is not None and self.depth < MAX_CALL_DEPTH:
            sub = Interpreter(owner, self.frames, self.depth + 1, self.loop_pass, self.func_stack + (init,), mod.cls)
            inner = state.copy()
            inner.env = {}
            self.bind_arguments(init, [mod] + list(args), kwargs, inner, sub, self_val=mod)
            try:
                sub.run_block(init.body, inner)
            except RecursionError:
                pass
            for key, val in inner.env.items():
                if key.startswith("self.") and key.count(".") == 1:
                    attrs[key[5:]] = val
            # parameters and buffers created in __init__ stay alive in the caller's state
            for oid, obj in inner.objs.items():
                state.objs.setdefault(oid, obj)
        self.ctx.instance_attrs[mod.id] = attrs
        self.ctx.building.discard(mod.id)

    def module_attr(self, mod: ModuleVal, attr: str, node, state):
        if attr == "training":
            return BoolConst(True)  # modules train by default; that is the path where backward() runs
        if mod.cls:
            if mod.id not in self.ctx.instance_attrs:
                self.init_instance(mod, [], {}, node, state)
            attrs = self.ctx.instance_attrs.get(mod.id, {})
            val = attrs.get(attr)
            if isinstance(val, Ref):
                if all(o in state.objs for o in val.objs):
                    return val
                # A parameter or buffer made in __init__: the same object in every method of this instance.
                return self.persistent(mod.id, attr, val, state)
            if val is not None:
                return val
            info = self.class_context(mod).classes.get(mod.cls)
            if info and attr in info.methods:
                return FuncVal(info.methods[attr], mod.cls, mod)
            return UNKNOWN
        info = facts.module(mod.kind) if mod.kind else None
        if attr in ("weight", "bias") and info and info.get("param_args"):
            return self.param_ref(mod.id, attr, state, f"parameter `{attr}`")
        return UNKNOWN

    def persistent(self, mid: int, attr: str, val: Ref, state: State) -> Ref:
        """A parameter or buffer made in `__init__`, brought into this walk's state."""
        canonical = getattr(self.ctx, "canonical_objs", {})
        for oid in val.objs:
            if oid not in state.objs and oid in canonical:
                state.objs[oid] = canonical[oid]
        return val  # what is still missing reads as a tensor we know nothing about

    def param_ref(self, mid: int, attr: str, state: State, describe: str, module: ModuleVal | None = None) -> Ref:
        key = (mid, attr)
        oid = self.ctx.param_ids.get(key)
        if oid is None:
            oid = fresh_id()
            self.ctx.param_ids[key] = oid
        if oid not in state.objs:
            storage = fresh_id()
            module = module or self.ctx.modules.get(mid)
            shape = linear_param_shape(module, attr) if module is not None else None
            state.objs[oid] = TObj(storage, storage, Tri.YES, leaf=True, param_of=mid, describe=describe,
                                   scalar=scalar_of(shape, Tri.MAYBE), shape=shape)
        return Ref(frozenset([oid]))

    def all_params_ref(self, mid: int, state: State, materialized_only: bool = False) -> Ref:
        oids = {oid for (m, _), oid in self.ctx.param_ids.items() if m in self.owned_modules(mid) and oid in state.objs
                and state.objs[oid].leaf}
        if not materialized_only:
            generic = self.ctx.params_all.get(mid)
            if generic is None:
                generic = fresh_id()
                self.ctx.params_all[mid] = generic
            if generic not in state.objs:
                storage = fresh_id()
                state.objs[generic] = TObj(storage, storage, Tri.YES, leaf=True, param_of=mid,
                                           describe="a parameter of the model")
            oids.add(generic)
        return Ref(frozenset(oids), every=True)

    def owned_modules(self, mid: int) -> set[int]:
        """The module and its submodules (as far as this file shows them)."""
        out, todo = set(), [mid]
        while todo:
            m = todo.pop()
            if m in out:
                continue
            out.add(m)
            known = self.ctx.modules.get(m)
            if known is not None:
                todo.extend(x.id for x in known.members if isinstance(x, ModuleVal))
            for val in self.ctx.instance_attrs.get(m, {}).values():
                if isinstance(val, ModuleVal):
                    todo.append(val.id)
                    todo.extend(x.id for x in val.members if isinstance(x, ModuleVal))
        return out

    def param_modules(self, params_val, state) -> list[int]:
        if isinstance(params_val, ParamsOf):
            return [params_val.module]
        if isinstance(params_val, Seq):
            out = []
            for item in params_val.items:
                out.extend(self.param_modules(item, state))
            return out
        if isinstance(params_val, DictVal):
            out = []
            for _, v in params_val.items:
                out.extend(self.param_modules(v, state))
            return out
        if isinstance(params_val, Ref):
            return [state.obj(o).param_of for o in params_val.objs if state.obj(o).param_of is not None]
        return []

    def module_method(self, mod: ModuleVal, attr: str, node: ast.Call, state: State):
        if attr in ("parameters", "named_parameters"):
            self.eval_args(node, state)
            return ParamsOf(mod.id) if attr == "parameters" else UNKNOWN
        if attr in MODULE_PASSTHROUGH:
            self.eval_args(node, state)
            return mod
        if attr in MODULE_NOOPS:
            self.eval_args(node, state)
            return NoneVal()
        if attr == "forward":
            args, kwargs = self.eval_args(node, state)
            return self.call_module(mod, args, kwargs, node, state)
        if mod.cls:
            fn = self.module_attr(mod, attr, node, state)
            args, kwargs = self.eval_args(node, state)
            if isinstance(fn, FuncVal):
                return self.call_function(fn, args, kwargs, node, state)
            if isinstance(fn, ModuleVal):
                return self.call_module(fn, args, kwargs, node, state)
            return self.unknown_call(args, kwargs, node, state)
        args, kwargs = self.eval_args(node, state)
        return self.unknown_call(args, kwargs, node, state)

    def call_module(self, mod: ModuleVal, args, kwargs, node, state):
        if mod.cls:
            info = self.class_context(mod).classes.get(mod.cls)
            forward = info.methods.get("forward") if info else None
            if forward is not None:
                return self.call_function(FuncVal(forward, mod.cls, mod), args, kwargs, node, state)
            return self.unknown_call(args, kwargs, node, state)
        if mod.members and mod.kind == "Sequential":
            value = args[0] if args else UNKNOWN
            for member in mod.members:
                if isinstance(member, ModuleVal):
                    # a member has no call line of its own: its construction stands for it
                    value = self.call_module(member, [value], {}, member.node or node, state)
                else:
                    value = self.unknown_call([value], {}, node, state)
            return value
        info = facts.module(mod.kind) if mod.kind else None
        x = args[0] if args else kwargs.get("input", UNKNOWN)
        if info is None or (info.get("op") is None and not info.get("identity")):
            if mod.kind in RECURRENT_MODULES:
                # Parametrised and recurrent: the output requires grad and its graph keeps tensors for backward.
                return self.opaque_result(list(args) + list(kwargs.values()), node, state, requires_grad=Tri.YES,
                                          graph_saves=mod.kind)
            # A torch module we have no facts for: it has parameters (probably), so its output requires grad.
            return self.opaque_result(list(args) + list(kwargs.values()), node, state, requires_grad=Tri.MAYBE)
        if info.get("identity"):
            return x
        op_name = info["op"]
        if mod.inplace and isinstance(x, Ref):
            label = f"{mod.kind}(inplace=True)"
            bound = {"input": x}
            fact = facts.op(op_name, "functional", {"input": "tensor", "inplace": "true"})
            if fact is not None and fact.inplace:
                self.apply_fact(fact, {fact.params[0]: x}, node, state, {}, module=mod)
                # apply_fact labels it as a call; mark the module definition as related
                return x
            self.mutate(x, node, "module", label, state, op_name=op_name, module_node=mod.node)
            del bound
            return x
        bound = {}
        params = facts.params(op_name) or ("input",)
        values = list(args)
        for p in params:
            if values:
                bound[p] = values.pop(0)
            elif p in kwargs:
                bound[p] = kwargs[p]
        for p in info.get("param_args", ()):
            if p in params:
                bound[p] = self.param_ref(mod.id, p, state, f"parameter `{p}`", module=mod)
        kinds = self.arg_kinds(bound)
        fact = facts.op(op_name, "functional", kinds) or facts.op(op_name, "torch", kinds)
        if fact is None:
            return self.opaque_result(list(args), node, state, requires_grad=Tri.MAYBE)
        return self.apply_fact(fact, bound, node, state, {})

    # ------------------------------------------------------------------ functions
    def call_function(self, fn: FuncVal, args, kwargs, node, state):
        target = fn.node
        too_deep = self.depth >= MAX_CALL_DEPTH or target in self.func_stack
        budget = self.ctx.budget
        if isinstance(target, ast.Lambda):
            return self.unknown_call(args, kwargs, node, state)
        size = getattr(target, "end_lineno", 0) - getattr(target, "lineno", 0)
        if too_deep or budget.inlined + size > MAX_INLINED_STATEMENTS:
            return self.unknown_call(list(args) + ([fn.bound] if isinstance(fn.bound, Ref) else []), kwargs, node,
                                     state)
        ctx = self.ctx.context_of(target)  # a function of another workspace file walks with that file's names
        if ctx is not self.ctx.root:
            # Every function walked in another file counts, not only the one called from here: a small
            # subclass's __init__ calling super().__init__() of a 400-line base class is not small.
            if size > MAX_FOREIGN_DEFINITION or budget.foreign + size > MAX_FOREIGN_LINES:
                return self.unknown_call(list(args) + ([fn.bound] if isinstance(fn.bound, Ref) else []), kwargs,
                                         node, state)
            budget.foreign += size
        budget.inlined += size
        self.ctx.touched.add(target)
        attr_mark = len(self.ctx.attr_writes)
        storages, modules = set(), set()
        for value in list(args) + list(kwargs.values()):
            self.collect_reachable(value, state, storages, modules)
        frames = self.frames + (Frame(node, target, target.name, frozenset(storages), frozenset(modules)),)
        sub = Interpreter(ctx, frames, self.depth + 1, self.loop_pass, self.func_stack + (target,), fn.cls)
        sub.start_id = fresh_id()
        inner = state.copy()
        inner.env = {}
        inner.dead = False
        all_args = ([fn.bound] if fn.bound is not None else []) + list(args)
        self.bind_arguments(target, all_args, kwargs, inner, sub, self_val=fn.bound)
        grad = decorator_grad(target, ctx.imports)
        if grad is not None:
            inner.grad = grad
        end = sub.run_block(target.body, inner)
        # Effects on objects flow back to the caller; local names do not.
        exits = [s for _, s in sub.returns] + ([end] if not end.dead else [])
        if len(exits) == 1 and not exits[0].dead:
            merged = exits[0]  # one way out (most helpers): read below, never changed, so no copy to join
        else:
            merged = join_states(exits) if exits else end
        value = NoneVal()
        if sub.returns:
            value = sub.returns[0][0]
            for v, _ in sub.returns[1:]:
                value = join_val(value, v)
        # The callee's temporaries die with it: keep what the result and module state can still reach.
        keep = set()
        reachable_oids(value, keep)
        for v in self.ctx.attr_writes[attr_mark:]:  # module state the call set (self.memory = ...)
            reachable_oids(v, keep)
        start = sub.start_id
        for oid, obj in merged.objs.items():
            if oid <= start or oid in keep or obj.param_of is not None:
                state.objs[oid] = obj
        state.muts = merged.muts
        state.freed = merged.freed
        return value

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
        positional = [p.arg for p in a.posonlyargs + a.args]
        defaults = dict(zip(positional[len(positional) - len(a.defaults):], a.defaults))
        values = list(args)
        for name in positional:
            if values:
                state.env[name] = values.pop(0)
            elif name in kwargs:
                state.env[name] = kwargs[name]
            elif name in defaults:
                state.env[name] = self.expr(defaults[name], state)
            else:
                state.env[name] = UNKNOWN
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            state.env[p.arg] = kwargs.get(p.arg, self.expr(d, state) if d is not None else UNKNOWN)
        if a.vararg:
            state.env[a.vararg.arg] = Seq(tuple(values))
        if a.kwarg:
            state.env[a.kwarg.arg] = UNKNOWN

    # ------------------------------------------------------------------ tensors
    def new_tensor(self, state, node, rg: Tri, history=frozenset(), scalar=Tri.MAYBE, memory=None,
                   describe="tensor", shape=None, opaque=False) -> Ref:
        oid = fresh_id()
        storage = fresh_id()
        state.objs[oid] = TObj(storage, memory if memory is not None else storage, rg, history=history,
                               origin=node, scalar=scalar_of(shape, scalar), describe=describe, shape=shape,
                               opaque=opaque)
        return Ref(frozenset([oid]))

    def new_leaf(self, state, node, describe, scalar=Tri.MAYBE, shape=None) -> Ref:
        oid = fresh_id()
        storage = fresh_id()
        state.objs[oid] = TObj(storage, storage, Tri.YES, leaf=True, origin=node, scalar=scalar_of(shape, scalar),
                               describe=describe, shape=shape)
        return Ref(frozenset([oid]))

    def shape(self, value, state):
        if isinstance(value, Number):
            return ()
        if not isinstance(value, Ref):
            return None
        shapes = {state.obj(o).shape for o in value.objs}
        return shapes.pop() if len(shapes) == 1 else None

    def derive(self, ref: Ref, state, node, detached: bool, same_storage: bool, describe="tensor", inputs=()):
        ref = self.summarize(ref, state)
        oids = []
        for oid in ref.objs:
            obj = state.obj(oid)
            new = fresh_id()
            if detached:
                storage = obj.storage if same_storage else fresh_id()
                state.objs[new] = TObj(storage, obj.memory, Tri.NO, origin=node, detached=True, scalar=obj.scalar,
                                       describe=describe)
            else:
                rg = obj.requires_grad if state.grad is not Tri.NO else Tri.NO
                history = obj.history
                for extra in inputs:
                    if isinstance(extra, Ref):
                        history |= self.history(extra, state)
                        rg = rg | (self.rg(extra, state) if state.grad is not Tri.NO else Tri.NO)
                if state.grad is Tri.NO:
                    history = frozenset()
                storage = fresh_id()
                state.objs[new] = TObj(storage, storage, rg, origin=node, history=history, scalar=Tri.MAYBE,
                                       describe=describe)
            oids.append(new)
        return Ref(frozenset(oids), every=ref.every)

    def summarize(self, ref: Ref, state: State) -> Ref:
        """Many possible tensors (a value joined over loop passes and branches) as one that has the facts of all."""
        if len(ref.objs) <= MAX_REF_TARGETS or ref.every:
            return ref  # "each of a model's parameters" keeps every one
        objs = [state.obj(o) for o in ref.objs]
        joined = objs[0]
        for other in objs[1:]:
            joined = join_tobj(joined, other)
        oid = fresh_id()
        state.objs[oid] = joined
        return Ref(frozenset([oid]))

    def make_view(self, ref: Ref, node, state, op: str, multi: bool = False) -> Ref:
        ref = self.summarize(ref, state)
        oids = []
        for oid in ref.objs:
            obj = state.obj(oid)
            new = fresh_id()
            kind = obj.view_kind
            if multi and state.grad is not Tri.NO and obj.requires_grad is not Tri.NO:
                kind = "multi"
            elif state.grad is Tri.NO and obj.requires_grad is not Tri.NO and not obj.detached:
                kind = "inference" if state.inference else "nograd"
            elif op in ("expand", "expand_as"):
                kind = "expand"
            state.objs[new] = replace(
                obj, leaf=False, leaf_view=obj.leaf or obj.leaf_view, view_kind=kind, view_op=op, origin=node,
                scalar=Tri.MAYBE, shape=None, describe=f"a view of {obj.describe}",
                history=obj.history if state.grad is not Tri.NO else frozenset(),
                requires_grad=obj.requires_grad if state.grad is not Tri.NO else Tri.NO,
            )
            oids.append(new)
        return Ref(frozenset(oids), every=ref.every)

    def first(self, ref: Ref, state) -> TObj:
        return state.obj(next(iter(ref.objs)))

    def rg(self, ref, state) -> Tri:
        if not isinstance(ref, Ref):
            return Tri.NO
        out = None
        for oid in ref.objs:
            r = state.obj(oid).requires_grad
            out = r if out is None else out.join(r) if out is not r else out
        return out or Tri.NO

    def history(self, ref, state) -> frozenset:
        if not isinstance(ref, Ref):
            return frozenset()
        out = frozenset()
        for oid in ref.objs:
            out |= state.obj(oid).history
        return out

    # ------------------------------------------------------------------ events
    def mutate(self, ref: Ref, node, kind: str, op: str, state: State, inputs=(), op_name=None, index_basic=True,
               grad_override: Tri | None = None, module_node=None, new_saves=None, stmt_node=None) -> None:
        grad = grad_override if grad_override is not None else state.grad
        seq = self.ctx.next_seq()
        condition = state.path_condition
        if len(ref.objs) > 1 and not ref.every:
            condition = condition or "which branch ran before (the name may hold different tensors)"
        for oid in ref.objs:
            obj = state.obj(oid)
            event = Mutation(fresh_id(), seq, node, kind, op, obj.storage, obj.memory, obj, grad, self.frames,
                             module_node, loop_pass=self.loop_pass, path_condition=condition)
            self.sink.on_mutation(self, event, state, index_basic=index_basic, inputs=inputs)
            state.add_mutation(("s", obj.storage), event)
            state.add_mutation(("m", obj.memory), event)
        # The changed tensor now carries the graph of what was written into it (CopySlices / the op).
        extra_history = frozenset()
        extra_rg = Tri.NO
        if grad is not Tri.NO:
            for value in flat_refs(list(inputs)):
                if isinstance(value, Ref):
                    extra_history |= self.history(value, state)
                    extra_rg = extra_rg | self.rg(value, state)
        storages = {state.obj(o).storage for o in ref.objs}
        for oid, obj in list(state.objs.items()):
            if obj.storage in storages:
                changes = {}
                if extra_history:
                    changes["history"] = obj.history | extra_history
                if extra_rg is not Tri.NO and not obj.leaf:
                    changes["requires_grad"] = obj.requires_grad | extra_rg
                if changes:
                    state.update(oid, **changes)
        if new_saves is not None:
            saves, fact, out_rg, sseq = new_saves
            for oid in ref.objs:
                obj = state.obj(oid)
                added = set(saves)
                keeps_target = fact.saves_result or fact.saves.get(fact.params[0])
                if keeps_target and out_rg is not Tri.NO:
                    added.add(Save(fresh_id(), self.ctx.next_seq(), obj.storage, obj.memory, node, fact.name,
                                   "result", fact.grad_fn, out_rg is Tri.YES and grad is Tri.YES and not state.grad_assumed,
                                   self.loop_pass))
                if grad is not Tri.NO:
                    state.update(oid, history=obj.history | frozenset(added))

    def silent_numpy_write(self, arr: NumpyArr, node, state: State) -> None:
        seq = self.ctx.next_seq()
        obj = TObj(-1, arr.memory, Tri.NO, describe="a NumPy array")
        event = Mutation(fresh_id(), seq, node, "numpy", "numpy write", None, arr.memory, obj, state.grad,
                         self.frames, silent=True, loop_pass=self.loop_pass)
        state.add_mutation(("m", arr.memory), event)

    def backward(self, target, node, state: State, kwargs: dict, positional_gradient=False, is_grad=False) -> None:
        refs = []
        if isinstance(target, Ref):
            refs = [target]
        elif isinstance(target, Seq):
            refs = [i for i in target.items if isinstance(i, Ref)]
        if not refs:
            return
        retain = kwargs.get("retain_graph")
        retain_graph = truthy(retain) or truthy(kwargs.get("create_graph"))
        retain_unknown = retain is not None and not isinstance(retain, (BoolConst, NoneVal))
        has_gradient = positional_gradient or ("gradient" in kwargs and not isinstance(kwargs["gradient"], NoneVal)) \
            or ("grad_tensors" in kwargs)
        for ref in refs:
            self.sink.on_backward(self, ref, node, state, has_gradient=has_gradient)
        if retain_graph or retain_unknown:
            return
        for ref in refs:
            for save in self.history(ref, state):
                state.freed.setdefault(save.id, (node, self.loop_pass))

    def truth(self, value):
        if isinstance(value, BoolConst):
            return value.value
        if isinstance(value, NoneVal):
            return False
        return None


class QualVal:
    """A reference to a torch (or other imported) object by its dotted name."""

    __slots__ = ("qual",)

    def __init__(self, qual: str):
        self.qual = qual

    def __eq__(self, other):
        return isinstance(other, QualVal) and other.qual == self.qual

    def __hash__(self):
        return hash(self.qual)


# ---------------------------------------------------------------------- helpers
def optional_parameters(fn) -> set[str]:
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults = list(zip(positional[len(positional) - len(a.defaults):], a.defaults))
    defaults += [(p, d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
    return {p.arg for p, d in defaults if isinstance(d, ast.Constant) and d.value is None}


NOT_CONSTANT = object()
COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
           ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
           ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}


def constant_value(value):
    """The Python value of a literal we know exactly, or NOT_CONSTANT."""
    if isinstance(value, Number) and value.value is not None:
        return value.value
    if isinstance(value, BoolConst):
        return value.value
    if isinstance(value, NoneVal):
        return None
    if isinstance(value, ConstStr):
        return value.value
    return NOT_CONSTANT


def reachable_oids(value, out: set, depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(value, Ref):
        out.update(value.objs)
    elif isinstance(value, Seq):
        for item in value.items:
            reachable_oids(item, out, depth + 1)
    elif isinstance(value, DictVal):
        for _, item in value.items:
            reachable_oids(item, out, depth + 1)
    elif isinstance(value, ModuleVal):
        for item in value.members:
            reachable_oids(item, out, depth + 1)


def flat_refs(values, depth: int = 0) -> list:
    """The tensors among `values`, looking into tuples, lists and dicts."""
    out = []
    for v in values:
        if isinstance(v, Ref):
            out.append(v)
        elif isinstance(v, Seq) and depth < 3:
            out.extend(flat_refs([i for i in v.items if i != "*"], depth + 1))
        elif isinstance(v, DictVal) and depth < 3:
            out.extend(flat_refs([i for _, i in v.items], depth + 1))
    return out


BIN_OPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.MatMult: "matmul", ast.Pow: "pow",
           ast.FloorDiv: "floor_divide", ast.Mod: "remainder"}
AUG_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@", ast.Pow: "**",
               ast.FloorDiv: "//", ast.Mod: "%", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
               ast.LShift: "<<", ast.RShift: ">>"}


def dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and parts:
        return ".".join([node.id, *reversed(parts)])
    return None


def const_key(node: ast.AST):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, int):
        return -node.operand.value
    return None


def slice_const(node: ast.Slice):
    parts = []
    for p in (node.lower, node.upper, node.step):
        if p is None:
            parts.append(None)
        else:
            k = const_key(p)
            if not isinstance(k, int):
                return None
            parts.append(k)
    return slice(*parts)


def is_basic_index(node: ast.AST, value=None) -> bool:
    """Ints, slices, None and Ellipsis index a view; tensors, lists and masks (advanced) copy.

    An index we know nothing about (a plain name) counts as basic: it is most often an int."""
    if isinstance(value, Seq) and isinstance(node, ast.Tuple) and len(value.items) == len(node.elts):
        pairs = list(zip(node.elts, value.items))
    else:
        pairs = [(node, value)]
    for e, v in pairs:
        if isinstance(v, Ref) or isinstance(e, (ast.List, ast.ListComp)) or (isinstance(v, Seq) and e is not node):
            return False
        if isinstance(e, ast.Compare):
            return False
    return True


def is_inplace_name(attr: str) -> bool:
    return attr.endswith("_") and not attr.endswith("__") and not attr.startswith("_") and attr not in NOT_DATA_MUTATIONS


def truthy(value) -> bool:
    return isinstance(value, BoolConst) and value.value


def factory_scalar(name, args, kwargs) -> Tri:
    if name in ("tensor", "as_tensor", "scalar_tensor"):
        if name == "scalar_tensor":
            return Tri.YES
        if not args:
            return Tri.MAYBE
        first = args[0]
        if isinstance(first, Number):
            return Tri.YES
        if isinstance(first, Seq):
            return Tri.YES if len(first.items) == 1 and not isinstance(first.items[0], Seq) else Tri.NO
        return Tri.MAYBE
    if name in ("zeros", "ones", "empty", "rand", "randn", "full"):
        dims = args[:-1] if name == "full" else args
        if dims and isinstance(dims[0], Seq):
            dims = list(dims[0].items)
        sizes = [d.value for d in dims if isinstance(d, Number)]
        if len(sizes) == len(dims) and all(isinstance(s, int) for s in sizes):
            total = 1
            for s in sizes:
                total *= s
            return Tri.YES if total == 1 else Tri.NO
    return Tri.MAYBE


def truthy_kw(call: ast.Call, name: str) -> bool:
    return any(kw.arg == name and isinstance(kw.value, ast.Constant) and kw.value.value is True
               for kw in call.keywords)


def op_label(node, name: str) -> str:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return f".{node.func.attr}()"
    return name


def is_statement_call(node: ast.Call, ctx: ModuleContext) -> bool:
    return getattr(node, "_gg_statement", False)


def decorator_grad(fn, imports: names.ImportMap) -> Tri | None:
    for deco in getattr(fn, "decorator_list", ()):
        target = deco.func if isinstance(deco, ast.Call) else deco
        qual = imports.qualname(target)
        if qual in NO_GRAD_CONTEXTS:
            if isinstance(deco, ast.Call) and deco.args and isinstance(deco.args[0], ast.Constant) \
                    and deco.args[0].value is False:
                continue
            return Tri.NO
        if qual in ENABLE_GRAD_CONTEXTS:
            return Tri.YES
        if qual in SET_GRAD_ENABLED and isinstance(deco, ast.Call) and deco.args:
            arg = deco.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, bool):
                return Tri.YES if arg.value else Tri.NO
    return None


class ConstStr:
    """A string literal (e.g. `reduction="none"`); behaves as an unknown value everywhere else."""

    __slots__ = ("value",)
    tensorish = False

    def __init__(self, value: str):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, ConstStr) and other.value == self.value

    def __hash__(self):
        return hash(("str", self.value))


def scalar_of(shape, default: Tri) -> Tri:
    if shape is None or any(not isinstance(d, int) for d in shape):
        if shape is not None and any(isinstance(d, int) and d > 1 for d in shape):
            return Tri.NO
        return default
    total = 1
    for d in shape:
        total *= d
    return Tri.YES if total == 1 else Tri.NO


def broadcast(shapes):
    if not shapes or any(s is None for s in shapes):
        known = [s for s in shapes if s is not None]
        # an unknown operand cannot make a known multi-element operand smaller
        if known and any(isinstance(d, int) and d > 1 for s in known for d in s):
            return (None,) + tuple(d for s in known for d in s if isinstance(d, int) and d > 1)[:1]
        return None
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        dims = [s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0]
        ints = [d for d in dims if isinstance(d, int)]
        if len(ints) != len(dims):
            out.append(max(ints) if ints and max(ints) > 1 else None)
        else:
            out.append(max(ints) if ints else 1)
    return tuple(out)


def literal_shape(value):
    """The shape of a nested list literal of numbers: [[1., 2.], [3., 4.]] -> (2, 2)."""
    if isinstance(value, Number):
        return ()
    if isinstance(value, Seq) and value.items and "*" not in value.items:
        inner = {literal_shape(i) for i in value.items}
        if len(inner) == 1:
            sub = inner.pop()
            return None if sub is None else (len(value.items),) + sub
    return None


def factory_shape(name, args, kwargs, shape_of):
    if name in ("tensor", "as_tensor"):
        return literal_shape(args[0]) if args else None
    if name == "scalar_tensor":
        return ()
    if name in ("zeros", "ones", "empty", "rand", "randn", "full"):
        dims = args[:1] if name == "full" else args
        if name == "full" and args and isinstance(args[0], Seq):
            dims = list(args[0].items)
        elif dims and isinstance(dims[0], Seq):
            dims = list(dims[0].items)
        if dims and all(isinstance(d, Number) and isinstance(d.value, int) for d in dims):
            return tuple(d.value for d in dims)
        return None
    if name in ("zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like"):
        return shape_of(args[0]) if args else None
    return None


def linear_param_shape(module, attr):
    """`nn.Linear(3, 2)`: weight (2, 3), bias (2,)."""
    if module is None or module.kind != "Linear" or not isinstance(module.node, ast.Call):
        return None
    nums = [a.value for a in module.node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, int)]
    for kw in module.node.keywords:
        if kw.arg in ("in_features", "out_features") and isinstance(kw.value, ast.Constant):
            nums.append(kw.value.value)
    if len(nums) < 2:
        return None
    fan_in, fan_out = nums[0], nums[1]
    return (fan_out, fan_in) if attr == "weight" else (fan_out,) if attr == "bias" else None
