"""The training assumption: which scopes of a file run on the training path, and which of their arguments
require grad there.

Model code never shows that its tensors require grad; the training loop in another file does. So in a module's
`forward`, Lightning's `training_step`/`validation_step`, loss functions and the helpers they call, grad mode is
taken as on and the tensor inputs as requiring grad (`Tri.ASSUMED`); a constructor and the helpers it calls, and
a function that calls `backward()` itself, run with grad mode on. What rests on this is a warning that says so.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

ENTRY_METHODS = {"forward", "training_step", "validation_step"}
LOSS_NAME = re.compile(r"loss|criterion|entropy", re.IGNORECASE)
# Methods that run with grad off (sampling, inference, export) are not on the training path, nor what they call.
EVAL_ONLY = re.compile(r"^_*(generate|predict|inference|infer|sample|evaluate|eval|test|export|decode)(_|$)",
                       re.IGNORECASE)
# Arguments that are not what the loss differentiates: masks, indices, lengths, targets and labels.
NOT_DIFFERENTIATED = re.compile(r"mask|idx|index|indices|lengths?$|lens$|labels?$|targets?$|^y_?true$|ids?$"
                                r"|positions?$|timesteps?$|^(num|n)_|pixel_values", re.IGNORECASE)
NON_TENSOR_ANNOTATIONS = {"int", "float", "bool", "str", "bytes", "dict", "list", "tuple", "Dict", "List", "Tuple"}
AUTOGRAD_FUNCTION_BASES = {"Function", "torch.autograd.Function", "torch.autograd.function.Function",
                           "InplaceFunction"}


@dataclass(frozen=True)
class Role:
    """How a scope is walked on the training path."""

    loss: bool = False  # a loss function: its optional arguments (weights, masks) are training-time options
    inputs_require_grad: bool = True  # its tensor arguments require grad (forward and what it calls)


def training_roles(tree: ast.Module) -> dict:
    """Function node -> Role, for the scopes on the training path."""
    roles: dict = {}
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            class_roles(node, functions, roles)
    for fn in functions.values():
        if LOSS_NAME.search(fn.name) and fn not in roles:
            mark(fn, Role(loss=True), roles, {}, functions)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node not in roles and calls_backward(node):
            roles[node] = Role(inputs_require_grad=False)
    return roles


def class_roles(cls: ast.ClassDef, functions: dict, roles: dict) -> None:
    if any(base_name(b) in AUTOGRAD_FUNCTION_BASES for b in cls.bases):
        return  # autograd.Function.forward runs with grad off; its inputs are whatever apply() was given
    methods = {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for name, fn in methods.items():
        if name == "forward" and any(base_name(d) in ("staticmethod", "classmethod") for d in fn.decorator_list):
            continue  # not nn.Module.forward (a helper class's `forward` called by a module's own)
        if name in ENTRY_METHODS or LOSS_NAME.search(name):
            mark(fn, Role(loss=bool(LOSS_NAME.search(name))), roles, methods, functions)
    init = methods.get("__init__")
    if init is not None and "forward" in methods:
        mark(init, Role(inputs_require_grad=False), roles, methods, functions)


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
        for call in ast.walk(current):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
                callee = methods.get(func.attr)
            elif isinstance(func, ast.Name):
                callee = functions.get(func.id)
            else:
                callee = None
            if callee is not None:
                todo.append(callee)


def calls_backward(fn) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "backward"
               for n in ast.walk(fn))


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
        if head in NON_TENSOR_ANNOTATIONS or (head == "Optional" and text.split("[", 1)[-1].rstrip("]")
                                              in NON_TENSOR_ANNOTATIONS):
            return False
    return True


def classes_called_here(tree: ast.Module) -> frozenset:
    """The classes of this file that another class of this file builds and calls as plain attributes or names
    (`self.mlp = MoeBlock(config)`, `nn.ModuleList([Layer(...) for ...])`): their `forward` is walked from that
    caller, with what the caller really passes. A class registered only by name (`add_module(f"gcl_{i}", ...)`,
    `setattr`), built elsewhere, or only by a script or a factory function gets its inputs from code this file does
    not show (a `__main__` demo is one caller among the unknown others)."""
    classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    defined = {n.name for n in classes}
    out = set()
    for cls in classes:
        registered = set()
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)) and \
                    getattr(node.func, "attr", getattr(node.func, "id", None)) in ("add_module", "register_module",
                                                                                   "setattr"):
                registered.update(id(a) for a in node.args)
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and id(node) not in registered and isinstance(node.func, ast.Name) and \
                    node.func.id in defined and node.func.id != cls.name:
                out.add(node.func.id)
    return frozenset(out)
