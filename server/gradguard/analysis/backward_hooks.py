"""GG305: a full backward hook on a module of a model this code did not build.

`module.register_full_backward_hook(hook)` (and `register_full_backward_pre_hook`) makes every later call of the
module pass its tensor inputs and outputs through `BackwardHookFunction`, a custom autograd Function that returns
them as views (torch/utils/hooks.py, BackwardHook.setup_input_hook / setup_output_hook). Torch forbids changing such
a view in place: the next `nn.ReLU(inplace=True)`, `F.relu(x, inplace=True)`, `x += y` or `x[:, 0] = 0` on the
hooked module's output (or, inside the module, on an input that requires grad) raises in the forward pass with
grad mode on: "Output 0 of BackwardHookFunction is a view and is being modified inplace. This view was created
inside a custom Function ...". Torch's docs: "Modifying inputs or outputs inplace is not allowed when using
backward hooks and will raise an error." A plain `register_backward_hook` (the non-full one) wraps nothing and does
not raise; a forward hook that registers a tensor hook on the output (`output.register_hook(...)`) gets the same
gradient and lets the model change the output in place.

Code that installs such a hook on the layers of a model it is handed (a Grad-CAM target layer, every Linear/Conv of
the model for a KFAC-style optimizer or a Fisher matrix, every module for a debugging monitor) cannot know what the
model does with the hooked layer's output; the common vision models do change it in place (torchvision's VGG and
AlexNet follow each conv by `ReLU(inplace=True)`, DenseNet's `features` output goes through
`F.relu(..., inplace=True)`, ResNet's `bn1` feeds an in-place ReLU). This pass reports the registration when the
hooked module is what the function is handed or one inside it: reached from a parameter other than `self`
(`for m in mods`, `model.named_modules()`, `model.get_submodule(name)`, a dict or list built from them) or from an
attribute of `self` that the class does not build itself (`self.model` set from a constructor argument, or set by a
base class). A model handed whole whose submodules the function also visits (a hook on the whole model: its output
goes back to the caller, and torchvision's models run clean so), a module the code builds, `self` and
`self.modules()` (a module's own forward is known) are left alone; so is a module a same-file helper returns (not
followed). A module handed whole that the function does not walk (`GradCam(model, target_layer)`) is reported: it is
a layer as often as a model. The hazard depends on the model the caller passes, so this is a warning. A global
`register_module_full_backward_hook` wraps every module of every model, and is reported wherever it is called.
"""

from __future__ import annotations

import ast
from typing import Callable

from ..findings import Finding, Severity, Span
from ..pyparse import own_nodes

FULL_HOOKS = frozenset({"register_full_backward_hook", "register_full_backward_pre_hook"})
GLOBAL_HOOKS = frozenset({"register_module_full_backward_hook", "register_module_full_backward_pre_hook"})
# A module's own tree: what `self.<walk>()` gives is the class's own modules (their forward is the class's).
OWN_WALKS = frozenset({"modules", "named_modules", "children", "named_children"})
# Calls that hand back (part of) their arguments: their result comes from where the arguments come from.
PASSING = frozenset({"dict", "list", "tuple", "set", "enumerate", "zip", "sorted", "reversed", "filter", "iter",
                     "next", "getattr", "OrderedDict", "chain", "islice"})
# Methods of containers that put a value into the container (`mods.append(m)`): the container then holds it.
FILLING = frozenset({"append", "extend", "add", "insert", "update", "setdefault", "appendleft"})

CALLER, OWN = "caller", "own"


def findings(tree: ast.Module, lines: list[str], span: Callable[[ast.AST], Span]) -> list[Finding]:
    """The GG305 findings of a parsed file; `span` places a node (checker.Reporter.span: columns in characters)."""
    if not any("full_backward" in line for line in lines):
        # every registration names the method (a call, or getattr's string): over the 1.4 M-line corpus this test
        # takes the pass from 27 s of CPU to 0.15 s
        return []
    out: list[Finding] = []
    built = built_attributes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called_name(node.func) in GLOBAL_HOOKS:
            out.append(make(node.func, span, "every module of every model", global_hook=True))
    scopes: dict = {}
    for fn, cls, outer in functions(tree):
        scope = scopes[fn] = Scope(fn, cls, scopes.get(outer), built.get(cls, {}))
        for node in scope.nodes:
            if not isinstance(node, ast.Call):
                continue
            receiver, method = hooked(node, scope)
            if receiver is not None and scope.origin(receiver) == CALLER and not scope.walked_whole(receiver):
                out.append(make(node.func if method else node, span, ast.unparse(receiver), method=method))
    return out


def called_name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def hooked(call: ast.Call, scope: "Scope") -> tuple[ast.AST | None, str | None]:
    """The module a full backward hook is registered on by this call, and the method's name."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in FULL_HOOKS:
        return func.value, func.attr
    # getattr(module, 'register_full_backward_hook' if new_torch else 'register_backward_hook')(hook)
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr" and \
            len(func.args) >= 2:
        names = scope.strings(func.args[1])
        full = sorted(names & FULL_HOOKS)
        if full:
            return func.args[0], full[0]
    return None, None


def make(node: ast.AST, span: Callable[[ast.AST], Span], receiver: str, method: str | None = None,
         global_hook: bool = False) -> Finding:
    if global_hook:
        message = ("A global full backward hook wraps the inputs and outputs of every module of every model in "
                   "views made by a custom autograd Function: any module output (or input) that a model changes "
                   "in place afterwards, such as the output of a conv followed by `nn.ReLU(inplace=True)`, makes "
                   "torch raise in the forward pass: 'Output 0 of BackwardHookFunction is a view and is being "
                   "modified inplace.' Use forward hooks that register tensor hooks on the outputs instead.")
    else:
        message = (f"`{method}` on `{receiver}`, a module of a model this code is handed: torch then returns the "
                   "module's outputs (and gives its forward its inputs) as views made by a custom autograd Function, "
                   "and a model that changes the hooked module's output in place (the next `nn.ReLU(inplace=True)`, "
                   "`F.relu(x, inplace=True)` or `x += y`, as in torchvision's VGG, AlexNet, DenseNet and ResNet) "
                   "makes torch raise in the forward pass: 'Output 0 of BackwardHookFunction is a view and is being "
                   "modified inplace.' Register a forward hook that calls `output.register_hook(...)` on the "
                   "module's output instead: the same gradient, and in-place models keep working.")
    return Finding("GG305", Severity.WARNING, message, span(node))



def functions(tree: ast.Module) -> list[tuple]:
    """(function, its class or None, the function it is nested in or None) for every function, outer ones first.
    (A loop, not a recursive closure: a closure that calls itself is a reference cycle, which the CLI's frozen
    collector would never free; tests/crossfile/test_no_cycles.py.)"""
    out = []
    todo = [(tree, None, None)]
    while todo:
        node, cls, outer = todo.pop(0)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((child, cls, outer))
                todo.append((child, None, child))
            elif isinstance(child, ast.ClassDef):
                todo.append((child, child, None))
            else:
                todo.append((child, cls, outer))
    return out


def built_attributes(tree: ast.Module) -> dict:
    """class -> {attribute of self -> the values assigned to it in the class's methods}."""
    out: dict = {}
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        attrs: dict = {}
        for node in ast.walk(cls):
            targets, value = assigned(node)
            for target in targets:
                for t in flat(target):
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                        attrs.setdefault(t.attr, []).append(value)
        out[cls] = attrs
    return out


def assigned(node: ast.AST) -> tuple[list, ast.AST | None]:
    if isinstance(node, ast.Assign):
        return node.targets, node.value
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
        return [node.target], node.value
    if isinstance(node, ast.NamedExpr):
        return [node.target], node.value
    return [], None


def flat(target: ast.AST):
    if isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from flat(elt)
    elif isinstance(target, ast.Starred):
        yield from flat(target.value)
    else:
        yield target


class Scope:
    """Where a function's names come from: its parameters, `self`, and what its statements bind to them."""

    def __init__(self, fn, cls, outer, self_attrs: dict):
        self.fn = fn
        self.self_attrs = self_attrs
        args = fn.args
        params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
        params += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        self.self_name = params[0] if cls is not None and params and not is_static(fn) else None
        self.params = set(params) - {self.self_name}
        self.values: dict[str, list] = {}
        self.outer = outer
        self.nodes = own_nodes(fn)
        for node in self.nodes:
            self.bind(node)

    def bind(self, node: ast.AST) -> None:
        targets, value = assigned(node)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            # an item of what it iterates: inside it (whole() is False for a subscript)
            targets, value = [node.target], ast.Subscript(value=node.iter, slice=ast.Constant(0), ctx=ast.Load())
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets, value = [node.optional_vars], node.context_expr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FILLING and \
                isinstance(node.func.value, ast.Name):
            targets, value = [node.func.value], ast.Tuple(elts=list(node.args), ctx=ast.Load())
        for target in targets:
            for t in flat(target):
                while isinstance(t, (ast.Subscript, ast.Attribute)) and not self.is_self(t.value):
                    t = t.value  # `mods[name] = m`: the container holds it
                if isinstance(t, ast.Name) and value is not None:
                    self.values.setdefault(t.id, []).append(value)

    def is_self(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id == self.self_name

    def walked_whole(self, node: ast.AST) -> bool:
        """Is `node` a model the function is handed whole and whose submodules it visits (`model.named_modules()`
        in the same function)? A hook on the whole model: torchvision's models then run clean, the in-place changes
        are between its layers, and the output goes back to the caller. A module handed whole that the function
        does not walk is a layer as likely as a model (`GradCam(model, target_layer)`), and is reported."""
        if not self.whole(node):
            return False
        text = ast.unparse(node)
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in OWN_WALKS and
                   ast.unparse(n.func.value) == text for n in self.nodes)

    def whole(self, node: ast.AST, seen=None) -> bool:
        """Is `node` the very module the function is handed (a parameter, `self.model`), not one inside it?"""
        seen = set() if seen is None else seen
        if isinstance(node, ast.Name):
            if node.id in self.values:
                if node.id in seen:
                    return False
                seen.add(node.id)
                return all(self.whole(v, seen) for v in self.values[node.id])
            return node.id in self.params or self.outer is not None and self.outer.whole(node, seen)
        return isinstance(node, ast.Attribute) and self.is_self(node.value)

    def strings(self, node: ast.AST, seen=None) -> set:
        """The string constants `node` may be (through local names and `a if c else b`)."""
        seen = set() if seen is None else seen
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.strings(node.body, seen) | self.strings(node.orelse, seen)
        if isinstance(node, ast.Name) and node.id not in seen:
            seen.add(node.id)
            return set().union(*[self.strings(v, seen) for v in self.values.get(node.id, [])]) if \
                node.id in self.values else set()
        return set()

    def origin(self, node: ast.AST, seen=None) -> str | None:
        """CALLER when the module `node` is reached from what the function is handed, OWN for `self`, a module
        the code builds, None when not known."""
        seen = set() if seen is None else seen
        if isinstance(node, ast.Name):
            if node.id == self.self_name:
                return OWN
            if node.id in self.values:
                if node.id in seen:
                    return None
                seen.add(node.id)
                return worst(self.origin(v, seen) for v in self.values[node.id])
            if node.id in self.params:
                return CALLER
            return self.outer.origin(node, seen) if self.outer is not None else None
        if isinstance(node, ast.Attribute):
            if self.is_self(node.value):
                return self.self_attribute(node.attr, seen)
            return self.origin(node.value, seen)
        if isinstance(node, (ast.Subscript, ast.Starred)):
            return self.origin(node.value, seen)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                if self.is_self(func.value):
                    return OWN if func.attr in OWN_WALKS else None  # self's own tree, or a method of its own
                if func.attr[:1].isupper():
                    return None  # `nn.Linear(...)`, `models.ResNet(...)`: a module the code builds
                return self.origin(func.value, seen)  # `model.get_submodule(name)`, `model.named_modules()`
            if isinstance(func, ast.Name) and func.id in PASSING:
                return worst(self.origin(a, seen) for a in node.args)
            return None  # a model or layer the code builds (`Net()`, `nn.Linear(...)`) or loads
        if isinstance(node, ast.IfExp):
            return worst([self.origin(node.body, seen), self.origin(node.orelse, seen)])
        if isinstance(node, ast.BoolOp):
            return worst(self.origin(v, seen) for v in node.values)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return worst(self.origin(e, seen) for e in node.elts)
        if isinstance(node, ast.Dict):
            return worst(self.origin(v, seen) for v in list(node.keys) + list(node.values) if v is not None)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return worst([self.origin(node.elt, seen)] + [self.origin(g.iter, seen) for g in node.generators])
        if isinstance(node, ast.DictComp):
            return worst([self.origin(node.key, seen), self.origin(node.value, seen)] +
                         [self.origin(g.iter, seen) for g in node.generators])
        return None

    def self_attribute(self, attr: str, seen) -> str | None:
        """`self.<attr>`: a module the class builds is its own; one the class never assigns (a base class or the
        caller sets it) or assigns from a method's argument is the caller's."""
        values = self.self_attrs.get(attr)
        if not values:
            return CALLER
        origins = []
        for value in values:
            if isinstance(value, ast.Name) and value.id not in self.values and value.id != self.self_name:
                origins.append(CALLER)  # `self.model = model` in a method: an argument (or a global)
            else:
                origins.append(self.origin(value, seen))
        return worst(origins)


def worst(origins) -> str | None:
    origins = list(origins)
    if CALLER in origins:
        return CALLER
    return OWN if OWN in origins else None


def is_static(fn) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)
