"""How a function walked on its own starts (checker.run_unit, and callers.py's walks with what a caller passes):
its grad mode, its arguments, and `self` built once per class."""

from __future__ import annotations

import ast

from . import values
from .context import ModuleContext, find_method
from .inherited_entries import owner_role
from .interpreter import Interpreter
from .module_globals import bind_globals
from .set_optimizers import attach_set_optimizers
from .syntax import SEQUENCE, collected_test, declared_value, decorator_grad, is_staticmethod, parametrized_value
from .training import LIGHTNING_EVAL_STEPS, forward_path, layer_call, optimized_arguments, requires_grad_argument
from .values import FuncVal, ModuleVal, Optimizer, Ref, Seq, State, TObj, Tri, fresh_id


def start_walk(ctx, info, fn, cls, owner, lines: list[str], path: str):
    """(walker, state, training role) for the walk of `fn` (of class `cls`, defined in `owner`) on its own. A
    module's forward (or a `forward_*` variant) is the training path, and a test the test runner collects runs in
    torch's default mode: grad mode on. Any other function gets the caller's, taken as on on the training path
    (training.py)."""
    cls_info = info.classes.get(cls) if cls is not None else None
    collected = collected_test(fn, cls_info.node if cls_info is not None else None, info.tree, path)
    cls_node = cls_info.node if cls_info is not None else None
    entry = cls is not None and (forward_path(fn, cls_node) or layer_call(info.tree, fn, cls_node))
    state = State(grad_assumed=not (entry or collected))
    role = owner_role(ctx, info, fn, owner, lines)
    state.training = role is not None
    walker = Interpreter(ctx, func_stack=(fn,), class_name=owner)
    walker.in_function = True
    ctx.sink.role = role
    bind_parameters(walker, fn, cls, state, assume=role is not None and role.inputs_require_grad)
    bind_globals(walker, fn, cls, state)  # `netG = Generator()` at module level, `netG(x)` in `def train(x):`
    walk_ctx = ctx.context_of(fn)  # an entry method of a base class of another file: that file's names
    if walk_ctx is not ctx:
        walker = Interpreter(walk_ctx, func_stack=(fn,), class_name=owner)
        walker.in_function = True
    grad = decorator_grad(fn, walk_ctx.imports)
    if grad is None and cls_node is not None and cls_node.bases and fn.name in LIGHTNING_EVAL_STEPS:
        grad = Tri.NO  # Lightning's evaluation loop runs `validation_step` under no_grad
    if grad is not None:
        state.grad = grad
        state.grad_assumed = False
    return walker, state, role


def bind_parameters(walker: Interpreter, fn, cls, state: State, assume: bool = False) -> None:
    """Arguments are tensors we know nothing about; on the training path (`assume`) the data arguments require
    grad (training.requires_grad_argument)."""
    args = fn.args
    positional = args.posonlyargs + args.args
    defaults = dict(zip([p.arg for p in positional[len(positional) - len(args.defaults):]], args.defaults))
    defaults.update((p.arg, d) for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    is_method = cls is not None and positional and not is_staticmethod(fn)
    walker.ctx.root.argument_names = {p.arg for p in positional + args.kwonlyargs}
    for i, p in enumerate(positional + args.kwonlyargs):
        if i == 0 and is_method:
            state.env[p.arg] = canonical_instance(walker, cls, state)
            continue
        default = defaults.get(p.arg)
        if "inplace" in p.arg.lower() and default.__class__ is ast.Constant and default.value is False:
            # `inplace_safe: bool = False`: the in-place form is what a caller opts into (OpenFold passes it only
            # with grad off); walked alone, the function runs its default, out-of-place form
            state.env[p.arg] = values.BoolConst(False)
            continue
        declared = declared_value(p.annotation, default)  # `extent: int`, `feat_idx=[0]`
        if declared is None:
            declared = parametrized_value(fn, p.arg)  # `@pytest.mark.parametrize('noise', [0.1, 1.0])`
        if declared is not None and declared is not SEQUENCE:
            state.env[p.arg] = declared
            continue
        tensor = argument(state, p.arg, assume and requires_grad_argument(p, defaults.get(p.arg)),
                          declared=annotated_tensor(p.annotation))
        if declared is SEQUENCE:
            state.env[p.arg] = Seq((tensor, "*"), True)
            continue
        state.env[p.arg] = tensor
        default = defaults.get(p.arg)
        if isinstance(default, ast.Constant) and default.value is None:  # `state=None`: passed only sometimes
            (oid,) = state.env[p.arg].objs
            walker.ctx.sink.optional_storages[state.objs[oid].storage] = p.arg
    for optimizer, model in optimized_arguments(fn).items():  # `def train_step(model, optimizer, batch)`
        state.env[optimizer] = Optimizer((walker.foreign_module(ast.Name(id=model)),))


def argument(state: State, name: str, requires_grad: bool = False, declared: bool = False) -> Ref:
    oid, storage = fresh_id(), fresh_id()
    state.objs[oid] = TObj(storage, storage, Tri.ASSUMED if requires_grad else Tri.MAYBE,
                           describe=f"argument `{name}`", is_argument=True, tensor_declared=declared)
    return Ref(frozenset([oid]))


def annotated_tensor(annotation) -> bool:
    """`x: torch.Tensor`, `x: Tensor`, `x: "torch.FloatTensor"`: the caller passes a tensor, not a list of them."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rsplit(".", 1)[-1].endswith("Tensor")
    name = annotation.id if isinstance(annotation, ast.Name) else annotation.attr \
        if isinstance(annotation, ast.Attribute) else ""
    return name.endswith("Tensor")


CANONICAL_ID_BASE = 1 << 40
INITIALIZER = "initialize"  # ids of `self` instances built once per class, apart from every scope's own ids


def canonical_instance(walker: Interpreter, cls: str, state: State) -> ModuleVal:
    """`self` for a method walked on its own: the class's __init__ run once per file (not once per method), with
    ids from a range of its own so that every scope that installs it stays independent and deterministic."""
    ctx = walker.ctx
    info = ctx.info
    built = info.canonical.get(cls)
    if built is None:
        built = info.canonical[cls] = build_canonical(info, cls, len(info.canonical) + 1, ctx.path, type(ctx.sink))
    mod, tables, objs, touched, _ = built
    ctx.install_instances(tables)
    state.objs.update(objs)
    ctx.touched |= touched
    ctx.canonical_objs = objs
    return mod


def build_canonical(info, cls: str, index: int, path: str | None, sink_class, arguments=None):
    """`self` of `cls` built by its __init__ with ids of its own; `sink_class`: the Reporter the walk reports to
    (its findings are the scopes' own, not kept). `arguments()`: the (args, kwargs) to build it with, made with
    those ids (gradguard/builders.py: what another file builds it with); none by default."""
    saved = values.save_ids()
    values.reset_ids(CANONICAL_ID_BASE * index)
    try:
        ctx = ModuleContext(info, sink_class([], "<class>"), None)
        ctx.path = path  # the file's: its relative imports (`from .common import conv1x1_block`) are followed
        ctx.sink.ctx = ctx
        ctx.built_at = {}
        # grad mode is the caller's, taken as on: what the constructor computes from the parameters (an L2 term kept
        # in `self.reg_loss`) is a graph the training methods backward through (a warning, which says so)
        state = State(grad_assumed=True, training=True)
        mod = ModuleVal(fresh_id(), None, cls)
        ctx.instance_class[mod.id] = cls
        args, kwargs = arguments() if arguments is not None else ([], {})
        Interpreter(ctx, class_name=cls).init_instance(mod, args, kwargs, None, state)
        # The constructor of a framework that builds with `model.initialize(opt)` (pix2pix/CycleGAN-style GAN code):
        # the networks and their optimizers it makes are what the other methods use.
        found = find_method(info.classes, cls, INITIALIZER)
        if found is not None and find_method(info.classes, cls, "__init__") is None:
            owner, initializer = found
            try:
                Interpreter(ctx, class_name=owner).call_function(FuncVal(initializer, owner, mod), [], {},
                                                                 initializer, state)
            except RecursionError:
                pass
        # `self.optim = self._get_optim(optimizer)` in `compile`: the optimizer the training method steps
        attach_set_optimizers(Interpreter(ctx, class_name=cls), mod, info.classes[cls].node, state)
        Interpreter(ctx, class_name=cls).attach_optimizers(mod, info.classes[cls].node)
    finally:
        values.restore_ids(saved)
    tables = ctx.instance_tables()
    touched = frozenset(ctx.touched)
    built_at = ctx.built_at
    ctx.close()
    return mod, tables, dict(state.objs), touched, built_at
