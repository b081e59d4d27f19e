"""Which torch object a name or attribute chain refers to, following the file's imports."""

from __future__ import annotations

import ast

from .. import facts
from .keras_layers import keras3_file


class ImportMap:
    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}  # local name -> dotted module path or object path

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    self.aliases[top] = top
        elif node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def copy(self) -> "ImportMap":
        new = ImportMap()
        new.aliases = dict(self.aliases)
        return new

    def qualname(self, expr: ast.AST) -> str | None:
        """`F.relu` -> "torch.nn.functional.relu" when F is torch.nn.functional; None otherwise."""
        if expr.__class__ is ast.Name:
            return self.aliases.get(expr.id)
        chain = dotted(expr)
        if chain is None:
            return None
        head, _, rest = chain.partition(".")
        base = self.aliases.get(head)
        return None if base is None else base + "." + rest


# What a star import (`from utils import *`) is taken to provide when the file uses these names without binding them:
# training scripts often get torch through a helper module of the project that imported it. A file that uses
# `torch.` with nothing else binding it can only have it from there (or fail with a NameError).
# `th` is torch as projects alias it (`import torch as th`, Stable-Baselines3, ElegantRL).
STAR_PROVIDED = {"torch": "torch", "th": "torch", "nn": "torch.nn", "F": "torch.nn.functional"}


def add_star_provided(imports: ImportMap, import_nodes: list, body: list) -> None:
    """After a star import from a module other than torch's, `torch` (or `th`), `nn` and `F` that nothing in the
    file binds are torch, torch.nn and torch.nn.functional."""
    if not any(node.__class__ is ast.ImportFrom and any(a.name == "*" for a in node.names)
               and (node.module or "").split(".", 1)[0] != "torch" for node in import_nodes):
        return
    bound = set()
    for node in body:
        if node.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            bound.add(node.name)
        elif node.__class__ in (ast.Assign, ast.AnnAssign, ast.AugAssign):
            for target in node.targets if node.__class__ is ast.Assign else [node.target]:
                if target.__class__ is ast.Name:
                    bound.add(target.id)
    for name, qual in STAR_PROVIDED.items():
        if name not in imports.aliases and name not in bound:
            imports.aliases[name] = qual


def collect_imports(tree: ast.Module) -> ImportMap:
    imports = ImportMap()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.add_import(node)
    return imports


_UNREAD = object()


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for an attribute chain on a name (None otherwise); kept on the node, which is read again on every
    walk through it."""
    known = getattr(node, "_gg_dotted", _UNREAD)  # not try/except: a first read raising costs 6x a hit
    if known is not _UNREAD:
        return known
    start = node
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    out = ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) and parts else None
    start._gg_dotted = out
    return out


def name_or_dotted(node: ast.AST) -> str | None:
    """`x` for a name, `a.b.c` for an attribute chain on one; None for anything else."""
    return node.id if isinstance(node, ast.Name) else dotted(node)


TORCH_FUNCTIONAL = ("torch.nn.functional.",)
NAMESPACES = ("torch.special.", "torch.linalg.", "torch.fft.", "torch.sparse.")
TORCH_NN = ("torch.nn.",)


def torch_function(qual: str | None) -> tuple[str, str] | None:
    """("relu", "functional") for torch.nn.functional.relu, ("sigmoid", "torch") for torch.sigmoid."""
    if not qual:
        return None
    qual = facts.ALIASES.get(qual, qual)
    if qual.startswith("torch.nn.functional."):
        return qual[len("torch.nn.functional."):], "functional"
    for namespace in NAMESPACES:  # torch.linalg.inv, torch.fft.rfftn, torch.special.ndtr, torch.sparse.mm
        if qual.startswith(namespace) and qual.count(".") == 2:
            return qual[len(namespace):], namespace[len("torch."):-1]
    if qual.startswith("torch.") and qual.count(".") == 1:
        return qual[len("torch."):], "torch"
    return None


def nn_class(qual: str | None) -> str | None:
    """"ReLU" for torch.nn.ReLU / torch.nn.modules.activation.ReLU, and for a mirror of torch.nn in another
    package (nni.retiarii.nn.pytorch.ReLU: an `nn` package whose classes wrap torch.nn's under the same names), or
    one of facts.NN_CLASS_ALIASES (mmcv.runner.ModuleList)."""
    if qual in facts.NN_CLASS_ALIASES:
        return facts.NN_CLASS_ALIASES[qual]
    if qual and qual.startswith("torch.nn.") and not qual.startswith("torch.nn.functional."):
        last = qual.rsplit(".", 1)[-1]
        if last[:1].isupper():
            return last
    elif qual and ".nn." in qual and not qual.startswith("torch."):
        last = qual.rsplit(".", 1)[-1]
        if last[:1].isupper() and facts.is_module(last):
            return last
    return None


def library_module(qual: str | None) -> str | None:
    """The kind of module a library class outside torch.nn builds, when facts.py records it (mmcv's ConvModule,
    modelled by mmcv_bricks.py; nni's LayerChoice, by nni_choices.py); None for any other name."""
    if qual in facts.MMCV_CONV_MODULES:
        return facts.MMCV_CONV_MODULE_KIND
    return facts.NNI_LAYER_CHOICE_KIND if qual in facts.NNI_LAYER_CHOICES else None


INTEGRAL_DTYPES = {"long", "int", "int64", "int32", "int16", "int8", "uint8", "bool", "short"}


def integral_dtype(qual: str | None) -> bool:
    """torch.long, torch.bool ...: a tensor converted to it is a copy without grad."""
    return bool(qual) and qual.startswith("torch.") and qual[len("torch."):] in INTEGRAL_DTYPES


# Other array/autograd frameworks: a file that imports one of them and not torch is their code (an MXNet Gluon
# training script's `ag.record()` and `loss.backward()`), which torch's rules do not describe.
OTHER_FRAMEWORKS = frozenset({"mxnet", "tensorflow", "jax", "paddle", "mindspore", "oneflow", "chainer", "megengine",
                              "jittor", "keras"})


def other_framework_only(tree: ast.Module) -> bool:
    """Does the module's own top-level import list name another framework and not torch? Keras 3 code runs on torch
    too (keras_layers.py)."""
    roots = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    others = roots & OTHER_FRAMEWORKS
    if others == {"keras"} and keras3_file(tree):
        return False
    return bool(others) and "torch" not in roots


# Kernel compilers: a function they compile (`@triton.jit`, `@numba.cuda.jit`) takes pointers, blocks and arrays,
# not tensors autograd records (`logits_ptr += offset` is pointer arithmetic in a Triton kernel).
KERNEL_DECORATORS = ("triton.", "numba.", "nb.", "cuda.jit", "njit", "tl.jit")


def kernel_function(fn) -> bool:
    """Is `fn` decorated by a kernel compiler (KERNEL_DECORATORS)?"""
    for deco in fn.decorator_list:
        name = name_or_dotted(deco.func if isinstance(deco, ast.Call) else deco) or ""
        if name.startswith(KERNEL_DECORATORS) or name in ("njit", "cuda.jit"):
            return True
    return False
