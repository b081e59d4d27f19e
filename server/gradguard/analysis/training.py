"""The training assumption: which scopes of a file run on the training path, and which of their arguments
require grad there.

Model code never shows that its tensors require grad; the training loop in another file does. So in a module's
`forward`, Lightning's `training_step`, loss functions and the helpers they call, grad mode is
taken as on and the tensor inputs as requiring grad (`Tri.ASSUMED`); a constructor and the helpers it calls, and
a function that calls `backward()` itself, run with grad mode on. What rests on this is a warning that says so.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..facts import DIFFERENTIATING_FUNCTIONS, GRADCHECKS, LOSSES_DEFAULT_MEAN
from ..pyparse import nodes_under, statements
from .data_transforms import data_transform_classes
from .keras_layers import LAYER_CALL, keras3_file
from .names import name_or_dotted
from .values import BoolConst, ConstStr, NoneVal, Number, Ref, Tri, flat_refs, from_caller

ENTRY_METHODS = {"forward", "training_step"}
# Lightning's loop runs these under `torch.no_grad()` / `torch.inference_mode()` (Trainer's evaluation and prediction
# loops): grad mode is off in them, and no backward() follows (scopes.start_walk).
LIGHTNING_EVAL_STEPS = frozenset({"validation_step", "test_step", "predict_step"})
KERAS_ENTRY_METHODS = frozenset(ENTRY_METHODS | {LAYER_CALL})  # a Keras 3 layer's `call` too (keras_layers.py)


def entry_methods(tree: ast.Module) -> frozenset | set:
    """The methods that start the training path in the classes of `tree`."""
    return KERAS_ENTRY_METHODS if keras3_file(tree) else ENTRY_METHODS


def layer_call(tree: ast.Module, fn, cls_node) -> bool:
    """Is `fn` a Keras 3 layer's `call` (a method of a class with a base, in a Keras 3 file)?"""
    return fn.name == LAYER_CALL and cls_node is not None and bool(cls_node.bases) and keras3_file(tree)
# `forward_parallel`, `forward_features`, `forward_train`: another way through the module, run as forward is (grad
# mode on); not the ones named for inference, which run under no_grad as often as not.
FORWARD_VARIANT = re.compile(r"forward_(?!.*(test|infer|eval|predict|generat|sampl|export|onnx|dummy|debug|vis|jit))")


def forward_path(fn, cls_node) -> bool:
    """Does `fn` (a method of `cls_node`) run as the module's forward does? `forward` itself, and a `forward_*`
    variant that the class does not install as its forward by a setting (`if mode == "slicing": self.forward =
    self.forward_slicing`: timm's FasterNet keeps that one for inference; the setting says which runs)."""
    name = fn.name
    if name == "forward":
        return True
    return FORWARD_VARIANT.match(name) is not None and cls_node is not None and \
        name not in installed_forwards(cls_node)


def installed_forwards(cls_node) -> frozenset:
    """The methods a class's methods assign to `self.forward` (kept on the class node)."""
    found = cls_node.__dict__.get("_gg_installed_forwards")
    if found is None:
        names = set()
        for method in cls_node.body:
            if method.__class__ is ast.FunctionDef:
                for node in statements(method.body):
                    if node.__class__ is ast.Assign and node.value.__class__ is ast.Attribute and any(
                            t.__class__ is ast.Attribute and t.attr == "forward" for t in node.targets):
                        names.add(node.value.attr)
        found = cls_node._gg_installed_forwards = frozenset(names)
    return found
# What the training loop differentiates, by name; an energy too (forces, Langevin steps in energy-based models).
# Not the "dice" inside "indices" (`assign_one_hot_gt_indices`, `get_indices`: index bookkeeping).
LOSS_NAME = re.compile(r"loss|criterion|entropy|focal|(?<!in)dice|energy", re.IGNORECASE)
# What a training objective differentiates, by name, without being the loss itself: a log-probability (policy
# gradients, preference optimisation, a decoder's scores), a likelihood, a penalty term (a gradient penalty).
DIFFERENTIATED_NAME = re.compile(r"log_?probs?|(^|_)logps?($|_)|likelihood|penalty", re.IGNORECASE)
# Methods that run with grad off (sampling, inference, export) are not on the training path, nor what they call.
EVAL_ONLY = re.compile(r"^_*(generate|predict|inference|infer|sample|evaluate|eval|test|export|decode)(_|$)",
                       re.IGNORECASE)
# Arguments that are not what the loss differentiates: masks, indices, lengths, targets and labels; the batch the
# data loader gave (`forward(self, batch)`, `forward(self, windows_batch)`: a mapping of its tensors, read by key),
# not `batch_dict`, the dict a detector's modules hand on to each other with the features they computed.
NOT_DIFFERENTIATED = re.compile(r"mask|idx|index|indices|lengths?$|lens$|labels?$|targets?$|^y_?true$|ids?$"
                                r"|positions?$|timesteps?$|^(num|n)_|pixel_values|(^|_)(mini_?)?batch$",
                                re.IGNORECASE)
# Helpers that move or reshape a batch (`to_device(data, device)`, DI-engine's `default_preprocess_learn(data)`,
# `collate_fn(samples)`): what a training step calls them on is its data, and what they return is that data, not a
# model's output that requires grad.
DATA_PLUMBING = re.compile(r"(^|_)(to_(device|cuda|gpu|tensor|torch|dtype)|move_to|send_to|preprocess|collate)",
                           re.IGNORECASE)
SEQUENCE_HEADS = {"list", "tuple", "List", "Tuple", "Sequence"}
NON_TENSOR_ANNOTATIONS = {"int", "float", "bool", "str", "bytes", "dict", "list", "tuple", "Dict", "List", "Tuple"}
MODULE_BASES = {"nn.Module", "torch.nn.Module", "Module"}
AUTOGRAD_FUNCTION_BASES = {"Function", "torch.autograd.Function", "torch.autograd.function.Function",
                           "InplaceFunction"}


@dataclass(frozen=True)
class Role:
    """How a scope is walked on the training path."""

    loss: bool = False  # a loss function: its optional arguments (weights, masks) are training-time options
    inputs_require_grad: bool = True  # its tensor arguments require grad (forward and what it calls)


def training_roles(tree: ast.Module, classes: list | None = None, every_function: list | None = None,
                   lines: list[str] | None = None) -> dict:
    """Function node -> Role, for the scopes on the training path. `classes` and `every_function`: every class and
    def of the tree, nested ones too (FileInfo has them). `lines`: the file's, to skip reading the calls of a
    function whose text names no loss function, or no `backward`."""
    if classes is None or every_function is None:
        found = list(statements(tree.body))
        classes = [n for n in found if isinstance(n, ast.ClassDef)]
        every_function = [n for n in found if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    roles: dict = {}
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    entries = entry_methods(tree)
    transforms = data_transform_classes(classes)
    for node in classes:
        class_roles(node, functions, roles, entries, node.name in transforms)
    for fn in patched_forwards(tree, functions, lines):
        if fn not in roles:
            mark(fn, Role(), roles, {}, functions)
    for fn in functions.values():
        # a loss by its name, or by what it computes: a function that calls torch's loss functions
        # (`F.binary_cross_entropy(pred, target)`) is what the training loop calls backward() on
        if (LOSS_NAME.search(fn.name) or may_call(fn, LOSSES_DEFAULT_MEAN, lines) and summary(fn).calls_loss and
                not runs_updates(fn)) and fn not in roles:
            mark(fn, Role(loss=True), roles, {}, functions)
        elif DIFFERENTIATED_NAME.search(fn.name) and fn not in roles:
            mark(fn, Role(), roles, {}, functions)
    for node in every_function:
        if node not in roles and may_call(node, BACKWARD, lines) and summary(node).calls_backward:
            roles[node] = Role(inputs_require_grad=False)
        elif node not in roles and may_call(node, AUTOGRAD_GRAD, lines) and summary(node).differentiates and \
                not summary(node).switches_grad and not names_in_text(GRAD_SWITCHES, node, lines or []):
            # `grads = torch.autograd.grad(loss, params)` of a loss it computed: grad mode is on in it, as in a
            # function that calls backward() (not one that turns it on itself, `with torch.enable_grad():`)
            roles[node] = Role(inputs_require_grad=False)
    for cls in classes:
        # A method that calls the class's own backward() steps (`optimize_parameters` calling `backward_D()` and
        # `backward_G()`) is a training step too: grad mode is on in it. So is one that calls such a method
        # (`learn` calling `update_all_parameters`, which calls `take_optimisation_step`, which calls backward()).
        methods = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        steps = {m.name for m in methods if may_call(m, BACKWARD, lines) and summary(m).calls_backward}
        while steps:
            more = set()
            for fn in methods:
                if fn.name not in steps and may_call(fn, steps, lines) and summary(fn).self_calls & steps:
                    if fn not in roles:
                        roles[fn] = Role(inputs_require_grad=False)
                    more.add(fn.name)
            steps |= more
            if not more:
                break
    return roles


BACKWARD = frozenset({"backward"})
AUTOGRAD_GRAD = frozenset({"autograd.grad"})
GRAD_SWITCHES = frozenset({"enable_grad", "set_grad_enabled"})


def runs_updates(fn) -> bool:
    """Does `fn` call backward() and step an optimizer itself (`train(loader, model, optimizer, epoch, memory)`)?
    A training step, not a loss its caller calls backward() on: its tensor arguments are batches and memory banks,
    no graph's outputs."""
    facts = summary(fn)
    return facts.calls_backward and bool(facts.stepped)


def patched_forwards(tree: ast.Module, functions: dict, lines: list[str] | None) -> list:
    """The file's functions installed as a module's forward (`Qwen2VLForConditionalGeneration.forward = my_forward`,
    how fine-tuning repositories patch a library model): forwards on the training path like a class's own."""
    if lines is not None and not any(".forward =" in line for line in lines):
        return []
    found = []
    for node in statements(tree.body):
        if node.__class__ is ast.Assign and node.value.__class__ is ast.Name and node.value.id in functions and \
                any(t.__class__ is ast.Attribute and t.attr == "forward" for t in node.targets):
            found.append(functions[node.value.id])
    return found


def may_call(fn, names, lines: list[str] | None) -> bool:
    """Can `fn` call one of `names`? Known from its summary once made; otherwise, without lines, yes."""
    return lines is None or "_gg_training" in fn.__dict__ or names_in_text(names, fn, lines)


def class_roles(cls: ast.ClassDef, functions: dict, roles: dict, entries=ENTRY_METHODS,
                transform: bool = False) -> None:
    """The roles of the methods of `cls`; `transform`: it is a data transform (data_transforms.py), whose forward
    is given the loader's batch."""
    if any(base_name(b) in AUTOGRAD_FUNCTION_BASES for b in cls.bases):
        return  # autograd.Function.forward runs with grad off; its inputs are whatever apply() was given
    methods = {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for fn in methods.values():
        role = method_role(cls, fn, entries)
        if role is not None and fn.name == "forward" and transform:
            role = Role(inputs_require_grad=False)  # an augmentation applied to the loader's batch (data_transforms.py)
        if role is not None:
            mark(fn, role, roles, methods, functions)
    init = methods.get("__init__")
    if init is not None and ("forward" in methods or LAYER_CALL in entries and LAYER_CALL in methods):
        mark(init, Role(inputs_require_grad=False), roles, methods, functions)


def inherited_entry_role(fn, owner: ast.ClassDef, entries=ENTRY_METHODS) -> Role | None:
    """The Role class_roles gives `fn`, an entry method of `owner` (a base class of another file), there: a
    subclass of this file runs it with its own `self` (inherited_entries.py)."""
    if any(base_name(b) in AUTOGRAD_FUNCTION_BASES for b in owner.bases) or no_grad_decorated(fn):
        return None
    return method_role(owner, fn, entries)


def method_role(cls: ast.ClassDef, fn, entries=ENTRY_METHODS) -> Role | None:
    """The Role a method of `cls` starts the training path with: an entry method (`forward`, a Keras layer's
    `call`) or a loss; None for any other."""
    name = fn.name
    if name == "forward" and any(base_name(d) in ("staticmethod", "classmethod") for d in fn.decorator_list) and \
            not any(base_name(b) in MODULE_BASES for b in cls.bases):
        # not nn.Module.forward (a helper class's `forward` called by a module's own); in an nn.Module subclass it
        # is (kindle's `Add` layer: `@classmethod def forward(cls, x)`, which `module(x)` calls as any forward)
        return None
    if name in entries and (name != LAYER_CALL or cls.bases) or LOSS_NAME.search(name):
        return Role(loss=bool(LOSS_NAME.search(name)))
    if DIFFERENTIATED_NAME.search(name):
        return Role()
    return None


def mark(fn, role: Role, roles: dict, methods: dict, functions: dict) -> None:
    """`fn` and the methods of its class and the file's functions that it calls, transitively."""
    todo = [fn]
    while todo:
        current = todo.pop()
        if current in roles or (current is not fn and EVAL_ONLY.match(current.name)) or no_grad_decorated(current):
            continue
        # What an entry calls runs with grad on, but is walked with its own arguments unknown: the entry's walk
        # follows the call with the values it passes.
        roles[current] = role if current is fn else Role(inputs_require_grad=False)
        facts = summary(current)
        todo.extend(methods[name] for name in facts.self_calls if name in methods)
        todo.extend(functions[name] for name in facts.name_calls if name in functions)


@dataclass(frozen=True)
class Summary:
    """What the training-path bookkeeping reads of one function's body (nested functions included)."""

    self_calls: frozenset  # `self.name(...)`
    name_calls: frozenset  # `name(...)`
    built: frozenset  # `Name(...)` calls that are not a by-name registration (`add_module(name, Block())`)
    calls_backward: bool
    calls_loss: bool  # calls one of torch's loss functions (`F.cross_entropy`, `mse_loss`...)
    stepped: frozenset = frozenset()  # `name.step()`, `self.name.step()`, `name[i].step()`: "name", "self.name"
    switches_grad: bool = False  # calls `set_grad_enabled` (syntax.sets_grad_mode tells whether for its caller)
    differentiates: bool = False  # calls `torch.autograd.grad` / `autograd.grad`


def summary(fn) -> Summary:
    """The function's Summary, kept on its node: an edit re-parses only the functions it touches, so on a keystroke
    every other function's summary is already there."""
    cached = fn.__dict__.get("_gg_training")
    if cached is not None:
        return cached
    self_calls, name_calls, registered, stepped = set(), set(), set(), set()
    backward = loss = switches = differentiates = False
    calls = calls_in(fn)
    for call in calls:
        func = call.func
        switches = switches or (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == \
            "set_grad_enabled"
        loss = loss or (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) in LOSSES_DEFAULT_MEAN
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id == "self":
                self_calls.add(func.attr)
            backward = backward or func.attr == "backward"
            differentiates = differentiates or func.attr == "grad" and (name_or_dotted(func.value) or "").endswith(
                "autograd")
            if func.attr == "step":
                stepped_value = func.value.value if isinstance(func.value, ast.Subscript) else func.value  # `opts[i]`
                receiver = name_or_dotted(stepped_value)
                if receiver:
                    stepped.add(receiver)
                if len(call.args) == 1 and scaler_receiver(call):  # `scaler.step(optimizer)` steps `optimizer`
                    arg = call.args[0]
                    stepped.add(name_or_dotted(arg) or "")
            if func.attr in REGISTERING:
                registered.update(id(a) for a in call.args)
        elif isinstance(func, ast.Name):
            name_calls.add(func.id)
            if func.id in REGISTERING:
                registered.update(id(a) for a in call.args)
    built = frozenset(c.func.id for c in calls if isinstance(c.func, ast.Name) and id(c) not in registered)
    fn._gg_training = Summary(frozenset(self_calls), frozenset(name_calls), built, backward, loss, frozenset(stepped),
                              switches, differentiates)
    return fn._gg_training


# `scaler`, `grad_scaler`, `self.amp_scaler`, `loss_scaler`: what holds a torch.amp / torch.cuda.amp GradScaler.
SCALER_NAME = re.compile(r"scaler$", re.IGNORECASE)


def scaler_receiver(node: ast.Call) -> bool:
    """Is `node` a call of a method of something named like a GradScaler (`scaler.step(opt)`)?"""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    text = name_or_dotted(func.value) or ""
    return bool(SCALER_NAME.search(text.rsplit(".", 1)[-1]))


REGISTERING = {"add_module", "register_module", "setattr"}
# Nodes that hold no call and no node that could (half of a function's nodes): not walked when looking for calls.
CALL_FREE = frozenset({ast.Name, ast.Constant, ast.alias})


def calls_in(fn) -> list:
    """Every Call node under `fn`, nested functions included (summaries are made for every function a keystroke
    re-parses)."""
    return [node for node in nodes_under(fn, CALL_FREE) if node.__class__ is ast.Call]


def calls_name(node: ast.AST, name: str) -> bool:
    """Does `node` call `name` (`name(...)`, `x.name(...)`, or `gradcheck(name, inputs)`, which calls it)? The names
    a statement calls are read once per node."""
    called = node.__dict__.get("_gg_called")
    if called is None:
        calls = calls_in(node)  # in no particular order: the names make a set
        called = node._gg_called = frozenset(
            [called_name(n.func) for n in calls] +
            [called_name(n.args[0]) for n in calls if n.args and called_name(n.func) in GRADCHECK_NAMES])
    return name in called


# `gradcheck(f, (x,))`, `jacobian(f, x)` call `f(x)`
GRADCHECK_NAMES = {q.rsplit(".", 1)[-1] for q in GRADCHECKS | DIFFERENTIATING_FUNCTIONS}


def called_name(func: ast.AST) -> str | None:
    return getattr(func, "id", None) or getattr(func, "attr", None)


def moves_data(call) -> bool:
    """Is `call` a helper that moves or preprocesses a batch (DATA_PLUMBING), by the name it calls?"""
    func = getattr(call, "func", None)
    name = func.id if func.__class__ is ast.Name else func.attr if func.__class__ is ast.Attribute else ""
    return bool(name) and DATA_PLUMBING.search(name) is not None


def calls_backward(fn) -> bool:
    return summary(fn).calls_backward


def no_grad_decorated(fn) -> bool:
    for deco in fn.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute) and target.attr in ("no_grad", "inference_mode"):
            return True
        if isinstance(target, ast.Name) and target.id in ("no_grad", "inference_mode"):
            return True
    return False


def base_name(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # noqa: BLE001 - an odd base expression is simply not autograd.Function
        return ""


def requires_grad_argument(arg: ast.arg, default: ast.AST | None) -> bool:
    """Is this argument, by the training assumption, a tensor that requires grad?"""
    if default is not None:
        return False  # `scale=1.0`, `mode="sum"`, `weight=None`: a setting or an option, not the data
    if NOT_DIFFERENTIATED.search(arg.arg):
        return False
    annotation = arg.annotation
    if annotation is not None:
        text = base_name(annotation)
        head = text.split("[", 1)[0].rsplit(".", 1)[-1]
        if head in SEQUENCE_HEADS and "Tensor" in text.split("[", 1)[-1]:
            return True  # `xs: List[torch.Tensor]`: the tensors it holds are the caller's, as a tensor argument is
        if head in NON_TENSOR_ANNOTATIONS or (head == "Optional" and text.split("[", 1)[-1].rstrip("]")
                                              in NON_TENSOR_ANNOTATIONS):
            return False
    return True


def classes_called_here(classes: list, lines: list[str] | None = None) -> frozenset:
    """The classes of this file that another class of this file builds and calls as plain attributes or names
    (`self.mlp = MoeBlock(config)`, `nn.ModuleList([Layer(...) for ...])`): their `forward` is walked from that
    caller, with what the caller really passes. A class registered only by name (`add_module(f"gcl_{i}", ...)`,
    `setattr`), built elsewhere, or only by a script or a factory function gets its inputs from code this file does
    not show (a `__main__` demo is one caller among the unknown others)."""
    defined = {n.name for n in classes}
    out = set()
    for cls in classes:
        if sequential_without_forward(cls):
            continue  # torch's Sequential.forward calls what it holds; no walk of this file follows that call
        built = cls.__dict__.get("_gg_built")  # dropped with the methods' summaries when the class changes
        if built is None:
            others = defined - {cls.name}
            methods = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
            # A method whose text names none of the file's other classes calls none of them: its summary (a walk
            # of all its nodes) is not needed here. What is left out is not kept: a class added later may be one.
            called = [m for m in methods if may_call(m, others, lines)]
            built = frozenset().union(*(summary(m).built for m in called))
            if len(called) == len(methods):
                cls._gg_built = built
        out.update(name for name in built if name in defined and name != cls.name)
    return frozenset(out)


def sequential_without_forward(cls: ast.ClassDef) -> bool:
    """`class EncoderBlock(nn.Sequential)` that hands its layers to `super().__init__(...)` and keeps torch's
    forward (glasses' ViT blocks, torchvision's Conv2dNormActivation)."""
    return any(base_name(b).rsplit(".", 1)[-1] == "Sequential" for b in cls.bases) and not any(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "forward" for n in cls.body)


def names_in_text(names: set, node: ast.AST, lines: list[str]) -> bool:
    """May the source lines of `node` name one of `names`? A call of a class by its name has the name in its text
    (the parser normalises non-ASCII identifiers, so a non-ASCII text is taken as possibly naming it)."""
    if not names:
        return False
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())])
    text = "\n".join(lines[first - 1:node.end_lineno])
    return not text.isascii() or any(name in text for name in names)


# A training function handed its model and that model's optimizer (`def train_step(model, optimizer, batch)`,
# `def train(netG, netD, optimizerG, optimizerD)`): which optimizer steps which model, read from their names.
OPTIMIZER_NAMES = (
    re.compile(r"^(?:optimizer|optimiser|optim|opt)$", re.IGNORECASE),
    re.compile(r"^(?:optimizer|optimiser|optim|opt)_(?P<stem>[A-Za-z0-9]\w*)$", re.IGNORECASE),
    re.compile(r"^(?:optimizer|optimiser|optim|opt)(?P<stem>[A-Z0-9]\w*)$"),
    re.compile(r"^(?P<stem>[A-Za-z0-9]\w*?)_(?:optimizer|optimiser|optim|opt)$", re.IGNORECASE),
    re.compile(r"^(?P<stem>[a-z0-9]\w*?)(?:Optimizer|Optimiser|Optim|Opt)$"),
)
MODEL_WORDS = ("network", "model", "net")
STEM_ALIASES = {"gen": "g", "generator": "g", "dis": "d", "disc": "d", "discriminator": "d", "critic": "d"}


def optimizer_stem(name: str) -> str | None:
    """What an optimizer's name says it optimizes: `optimizerD` -> "d", `g_optim` -> "g", `optimizer` -> ""."""
    for pattern in OPTIMIZER_NAMES:
        found = pattern.match(name)
        if found:
            stem = found.groupdict().get("stem") or ""
            return STEM_ALIASES.get(stem.lower(), stem.lower())
    return None


def model_stem(name: str) -> str:
    """The same for a model: `netG` -> "g", `discriminator` -> "d", `model` -> ""."""
    stem = name.lower()
    if stem in MODEL_WORDS:
        return ""
    for word in MODEL_WORDS:
        if stem.startswith(word) and len(stem) > len(word):
            stem = stem[len(word):].lstrip("_")
            break
    else:
        for word in MODEL_WORDS:
            if stem.endswith(word) and len(stem) > len(word):
                stem = stem[:-len(word)].rstrip("_")
                break
    return STEM_ALIASES.get(stem, stem)


def optimized_arguments(fn) -> dict[str, str]:
    """Optimizer argument -> the model argument it steps, for the arguments `fn` both calls (`model(x)`) and steps
    (`optimizer.step()`), paired by name; a lone optimizer with a lone model are a pair whatever their names."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {}
    a = fn.args
    params = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
    if not any(optimizer_stem(p) is not None for p in params):
        return {}  # most functions: their calls are not read
    facts = summary(fn)
    return pair_by_name([p for p in params if p in facts.stepped], [p for p in params if p in facts.name_calls])


def optimized_attributes(methods: list) -> dict[str, str]:
    """The same for a class's attributes: `self.d_optimizer.step()` steps `self.D(...)`'s parameters."""
    stepped, called = [], []
    for fn in methods:
        facts = summary(fn)
        stepped += [n[5:] for n in facts.stepped if n.startswith("self.") and n.count(".") == 1]
        called += facts.self_calls
    return pair_by_name(list(dict.fromkeys(stepped)), list(dict.fromkeys(called)))


def pair_by_name(stepped: list, called: list) -> dict[str, str]:
    """Optimizer name -> model name: each optimizer (something stepped, named like one) with the one called model
    its name points to; a lone optimizer with a lone model whatever their names."""
    optimizers = {p: optimizer_stem(p) for p in stepped}
    optimizers = {p: stem for p, stem in optimizers.items() if stem is not None}
    models = {p: model_stem(p) for p in called if p not in optimizers}
    pairs = {}
    for optimizer, stem in optimizers.items():
        same = [m for m, s in models.items() if s == stem]
        if not same and len(models) == 1 and len(optimizers) == 1:
            same = list(models)
        if len(same) == 1:
            pairs[optimizer] = same[0]
    return pairs


# An argument that holds a data loader (`loader`, `train_loader`, `dataloader`): the batches it yields are data, which
# does not require grad.
DATA_LOADER = re.compile(r"loader$", re.IGNORECASE)
# A loss handed to a training function (`criterion = nn.CrossEntropyLoss()` in the script that calls it).
CRITERION = re.compile(r"criterion|^loss_?(fn|func|function)$", re.IGNORECASE)
PLAIN_VALUES = (Ref, Number, ConstStr, BoolConst, NoneVal)


def loader_item(obj) -> str | None:
    """The name of the loader argument `obj` is an item of (`for x, y in loader`), or None."""
    if not obj.passed_in or obj.requires_grad is not Tri.MAYBE:
        return None
    found = re.fullmatch(r"argument `(\w+)`", obj.describe)
    return found.group(1) if found and DATA_LOADER.search(found.group(1)) else None


def criterion_result(walker, key: str | None, callee, args: list, kwargs, node: ast.Call, state):
    """`criterion(out.detach(), y)` where `criterion` is handed in: taken as a loss without parameters of its own,
    whose result requires grad only through its inputs. A tensor that does not require grad when none of them does
    (an item of a loader argument, `y` of `for x, y in loader`, is data, which does not); None otherwise (what the call gives is then unknown, as for any code we cannot see)."""
    if not key or not CRITERION.search(key.rsplit(".", 1)[-1]) or len(node.args) < 2 or kwargs.more is not None:
        return None
    if state.grad is Tri.NO or not isinstance(callee, Ref) or not from_caller(callee, state):
        return None  # with grad mode off, no result requires grad, whatever the callee
    inputs = list(args) + list(kwargs.values())
    refs = flat_refs(inputs)
    if not refs or not all(isinstance(v, PLAIN_VALUES) for v in inputs):
        return None
    loaders = []
    for ref in refs:
        if walker.rg(ref, state) is Tri.NO:
            continue
        items = [loader_item(state.obj(o)) for o in ref.objs]
        if not all(items):
            return None
        loaders += items
    assumed = walker.ctx.root.no_grad_assumptions
    assumed += [f"what `{name}` yields does not require grad" for name in dict.fromkeys(loaders)]
    assumed.append(f"`{key}` is a loss without parameters of its own")
    return walker.new_tensor(state, node, Tri.NO, describe=f"the result of `{key}`")


def classes_built_in_text(classes: dict, lines: list[str]) -> frozenset:
    """The file's classes whose name is called somewhere in its text (`Attention(AttnConfig(...))`, `Block(4)`),
    not counting their `class` line: built with arguments the file shows (read from the text: a mention in a
    comment counts too, which only keeps a default-dependent finding back)."""
    if not classes:
        return frozenset()
    text = "\n".join(lines)
    called = re.compile(r"(?<![\w.])(" + "|".join(re.escape(name) for name in classes) + r")\s*\(")
    return frozenset(m.group(1) for m in called.finditer(text)
                     if not text[max(0, m.start() - 16):m.start()].rstrip(" \t").endswith("class"))
