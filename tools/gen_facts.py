#!/usr/bin/env python
"""Derive gradguard's op facts from torch by experiment, and write them as data.

The analysis never imports torch; it reads ``server/gradguard/data/torch_ops.json`` and
``server/gradguard/data/nn_modules.json``.  This script is where those facts come from.  Nothing in
the tables is typed in by hand except *which* calls to try: every ``saves``/``view``/``frees_saved``
value is what torch actually did when the call was run.

How "saved" is decided (the ground truth the engine relies on):
for each grad configuration -- each differentiable tensor parameter Q alone requiring grad, and all of
them together -- fresh inputs are built, the op is run, one tensor (a parameter P, or the result) is
bumped in place under ``torch.no_grad()``, and ``backward`` is called on a scalar computed from the
result before the bump.  If backward raises "modified by an inplace operation", torch saved P when Q
required grad.  ``saves[P]`` lists those Q.  The all-grad run must agree with the union of the
single-param runs; disagreements are reported.

Usage:  python tools/gen_facts.py [--out-dir DIR] [--check] [--strict] [-v]
Output is deterministic (sorted keys, indent=1, no timestamps), so a re-run under the same torch is a
no-op and ``tests/test_torch_facts.py`` can diff it against the committed file.
"""

from __future__ import annotations

import argparse
import json
import math
import operator
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "server" / "gradguard" / "data"

INPLACE_ERR = "modified by an inplace operation"
SECOND_BW_ERR = "backward through the graph a second time"
MULTI_VIEW_ERR = "multiple views"

OPERATORS: dict[str, Callable] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "@": operator.matmul, "**": operator.pow, "neg": operator.neg, "[]": operator.getitem,
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
}


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()
RESULT = "<result>"
# torch's op namespaces besides torch itself, each a form of its own (`torch.fft.rfftn(x)` is form "fft")
NAMESPACES = ("linalg", "fft", "special", "sparse")
AUTO_NAMESPACES = ("fft", "special")  # tried for every op; linalg and sparse forms are named by the spec


# ----------------------------------------------------------------------------------------------
# Input makers


@dataclass
class Tn:
    """A tensor argument: ``make()`` returns a fresh tensor; ``grad`` says it may require grad."""

    make: Callable[[], torch.Tensor]
    grad: bool = True
    post: Callable[[torch.Tensor], torch.Tensor] | None = None  # applied after requires_grad_ (e.g. .t())


@dataclass
class TList:
    """A list-of-tensors argument (cat/stack): grad and bumps apply to its elements."""

    item: Tn
    n: int = 2


def fl(*s: int, post=None) -> Tn:
    return Tn(lambda: torch.randn(*s), post=post)


def pos(*s: int) -> Tn:
    return Tn(lambda: torch.rand(*s) + 0.5)


def prob(*s: int) -> Tn:
    return Tn(lambda: torch.rand(*s) * 0.8 + 0.1)


def lng(*s: int, high: int) -> Tn:
    return Tn(lambda: torch.randint(0, high, s), grad=False)


def mask(*s: int) -> Tn:
    return Tn(lambda: (torch.arange(math.prod(s)).reshape(s) % 2 == 0), grad=False)


def const(make: Callable[[], torch.Tensor]) -> Tn:
    return Tn(make, grad=False)


# ----------------------------------------------------------------------------------------------
# Specs


@dataclass
class V:
    params: list[str]
    args: dict[str, Any]
    when: dict[str, str] = field(default_factory=dict)
    kw: dict[str, Any] = field(default_factory=dict)  # constant keyword args that are not params
    inplace: bool = False
    alts: list[dict[str, Any]] = field(default_factory=list)  # other args that must give the same facts
    forms: list[str] | None = None  # restrict candidate forms for this variant


@dataclass
class OpSpec:
    name: str
    variants: list[V]
    twin: str | None = None
    operators: list[str] = field(default_factory=list)
    forms: list[str] | None = None  # explicit candidate forms; default: torch/method/functional if present


SPECS: list[OpSpec] = []


def op(name: str, *variants: V, twin: str | None = None, operators=(), forms=None) -> None:
    SPECS.append(OpSpec(name, list(variants), twin, list(operators), forms))


X = ["input"]
XO = ["input", "other"]
S23 = (2, 3)


def unary(name: str, maker=None, twin: str | None = None, operators=(), forms=None) -> None:
    op(name, V(X, {"input": maker or fl(*S23)}), twin=twin, operators=operators, forms=forms)


def unary_inplace(name: str, twin: str, maker=None, forms=None) -> None:
    op(name, V(X, {"input": maker or fl(*S23)}, inplace=True), twin=twin, forms=forms)


def binary_arith(name: str, sym: str, twin: str, other_maker=None) -> None:
    om = other_maker or fl(*S23)
    op(name,
       V(XO, {"input": fl(*S23), "other": om}, when={"other": "tensor"}),
       V(XO, {"input": fl(*S23), "other": 2.0}, when={"other": "number"}),
       V(XO, {"input": 2.0, "other": om}, when={"input": "number", "other": "tensor"}),
       twin=twin, operators=[sym])
    op(twin,
       V(XO, {"input": fl(*S23), "other": om}, when={"other": "tensor"}, inplace=True),
       V(XO, {"input": fl(*S23), "other": 2.0}, when={"other": "number"}, inplace=True),
       twin=name, operators=[sym + "="])


def build_specs() -> None:
    # ---- elementwise arithmetic
    binary_arith("add", "+", "add_")
    binary_arith("sub", "-", "sub_")
    binary_arith("mul", "*", "mul_")
    binary_arith("div", "/", "div_", other_maker=pos(*S23))
    for name in ["neg", "exp", "exp2", "expm1", "abs", "sin", "cos", "tanh", "sigmoid", "square", "erf",
                 "atan", "sinh", "cosh", "floor", "frac", "sign"]:
        unary(name, twin=name + "_", operators=["neg"] if name == "neg" else ())
    for name in ["log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "tan"]:
        unary(name, pos(*S23), twin=name + "_")
    for name in ["neg", "exp", "abs", "sin", "cos", "tanh", "sigmoid", "square"]:
        unary_inplace(name + "_", twin=name)
    for name in ["log", "sqrt", "reciprocal"]:
        unary_inplace(name + "_", twin=name, maker=pos(*S23))
    op("pow",
       V(["input", "exponent"], {"input": pos(*S23), "exponent": 2.0}, when={"exponent": "number"}),
       V(["input", "exponent"], {"input": pos(*S23), "exponent": fl(*S23)}, when={"exponent": "tensor"}),
       V(["input", "exponent"], {"input": 2.0, "exponent": fl(*S23)},
         when={"input": "number", "exponent": "tensor"}),
       twin="pow_", operators=["**"])
    op("pow_",
       V(["input", "exponent"], {"input": pos(*S23), "exponent": 2.0}, when={"exponent": "number"},
         inplace=True),
       V(["input", "exponent"], {"input": pos(*S23), "exponent": fl(*S23)}, when={"exponent": "tensor"},
         inplace=True),
       twin="pow")
    cl = ["input", "min", "max"]
    for name, ip in (("clamp", False), ("clamp_", True), ("clip", False)):
        op(name,
           V(cl, {"input": fl(*S23), "min": -0.5}, when={"min": "number", "max": "absent"}, inplace=ip),
           V(cl, {"input": fl(*S23), "max": 0.5}, when={"min": "absent", "max": "number"}, inplace=ip),
           V(cl, {"input": fl(*S23), "min": -0.5, "max": 0.5}, when={"min": "number", "max": "number"},
             inplace=ip),
           V(cl, {"input": fl(*S23), "min": fl(*S23)}, when={"min": "tensor", "max": "absent"}, inplace=ip),
           V(cl, {"input": fl(*S23), "min": Tn(lambda: torch.full(S23, -0.5)),
                  "max": Tn(lambda: torch.full(S23, 0.5))},
             when={"min": "tensor", "max": "tensor"}, inplace=ip),
           twin={"clamp": "clamp_", "clamp_": "clamp", "clip": "clip_"}[name])
    acm = ["input", "tensor1", "tensor2"]
    for name, ip, maker in (("addcmul", False, fl), ("addcmul_", True, fl), ("addcdiv", False, pos),
                            ("addcdiv_", True, pos)):
        op(name, V(acm, {"input": fl(*S23), "tensor1": fl(*S23), "tensor2": maker(*S23)}, kw={"value": 0.5},
                   inplace=ip),
           twin=name[:-1] if ip else name + "_")
    lp = ["input", "end", "weight"]
    op("lerp",
       V(lp, {"input": fl(*S23), "end": fl(*S23), "weight": 0.3}, when={"weight": "number"}),
       V(lp, {"input": fl(*S23), "end": fl(*S23), "weight": prob(*S23)}, when={"weight": "tensor"}),
       twin="lerp_")
    op("where",
       V(["condition", "input", "other"], {"condition": mask(*S23), "input": fl(*S23), "other": fl(*S23)},
         when={"other": "tensor"}),
       V(["condition", "input", "other"], {"condition": mask(*S23), "input": fl(*S23), "other": 0.0},
         when={"other": "number"}))
    for name in ["maximum", "minimum", "atan2"]:
        op(name, V(XO, {"input": fl(*S23), "other": fl(*S23)}))

    # ---- activations
    def act(name, extra_params=(), extra_args=None, inplace_param=True, underscore=True, maker=None,
            shape=S23):
        mk = maker or fl(*shape)
        ps = ["input", *extra_params] + (["inplace"] if inplace_param else [])
        variants = [V(ps, {"input": mk, **(extra_args or {})})]
        if inplace_param:
            variants.append(V(ps, {"input": mk, **(extra_args or {}), "inplace": True},
                              when={"inplace": "true"}, inplace=True))
        op(name, *variants, twin=name + "_" if underscore else None)
        if underscore:
            op(name + "_", V(["input", *extra_params], {"input": mk, **(extra_args or {})}, inplace=True),
               twin=name)

    act("relu")
    act("leaky_relu", ["negative_slope"], {"negative_slope": 0.1})
    act("elu", ["alpha"], {"alpha": 1.0})
    act("selu")
    act("celu", ["alpha"], {"alpha": 1.0})
    act("hardtanh", ["min_val", "max_val"], {"min_val": -1.0, "max_val": 1.0})
    act("threshold", ["threshold", "value"], {"threshold": 0.1, "value": 0.0})
    act("relu6", underscore=False)
    act("silu", underscore=False)
    act("mish", underscore=False)
    act("hardswish", underscore=False)
    act("hardsigmoid", underscore=False)
    for name in ["gelu", "softplus", "logsigmoid", "softsign", "tanhshrink", "softshrink", "hardshrink"]:
        unary(name)
    op("glu", V(["input", "dim"], {"input": fl(2, 4), "dim": -1}))
    op("prelu", V(["input", "weight"], {"input": fl(2, 3), "weight": Tn(lambda: torch.full((1,), 0.25))}))

    # ---- reductions
    red = ["input", "dim", "keepdim"]
    for name in ["sum", "mean", "prod", "logsumexp", "var", "std", "amax", "amin", "nansum"]:
        vs = []
        if name not in ("logsumexp", "amax", "amin"):
            vs.append(V(red, {"input": fl(*S23)}, when={"dim": "absent"}))
        vs.append(V(red, {"input": fl(*S23), "dim": 1}, when={"dim": "present"}))
        op(name, *vs)
    for name in ["max", "min"]:
        op(name,
           V(red, {"input": fl(*S23)}, when={"dim": "absent"}),
           V(red, {"input": fl(*S23), "dim": 1}, when={"dim": "number"}),
           V(XO, {"input": fl(*S23), "other": fl(*S23)}, when={"other": "tensor"}))
    op("median", V(red, {"input": fl(*S23)}, when={"dim": "absent"}),
       V(red, {"input": fl(*S23), "dim": 1}, when={"dim": "present"}))
    op("norm",
       V(["input", "p", "dim"], {"input": fl(*S23)}, when={"p": "absent"}),
       V(["input", "p", "dim"], {"input": fl(*S23), "p": 1}, when={"p": "number"}))
    for name in ["cumsum", "cumprod", "logcumsumexp", "softmax", "log_softmax", "softmin"]:
        op(name, V(["input", "dim"], {"input": fl(*S23), "dim": 1}))
    op("sort", V(["input", "dim"], {"input": fl(*S23), "dim": 1}))
    op("topk", V(["input", "k"], {"input": fl(*S23), "k": 2}))

    # ---- decompositions (tuple outputs; `saves_outputs` says which of them backward keeps)
    sym = fl(3, 3, post=lambda t: t + t.mT)  # eigh reads one triangle: a symmetric input keeps the grads finite
    op("eigh", V(X, {"input": sym}), forms=["linalg"])
    op("eigvalsh", V(X, {"input": sym}), forms=["linalg"])
    op("svd", V(X, {"input": fl(3, 3)}), forms=["torch", "method", "linalg"])
    op("qr", V(X, {"input": fl(3, 3)}), forms=["torch", "method", "linalg"])
    spd = fl(3, 3, post=lambda t: t @ t.mT + 3 * torch.eye(3))  # symmetric positive definite: cholesky's domain
    op("cholesky", V(X, {"input": spd}), forms=["torch", "method", "linalg"])
    op("cholesky_solve", V(["input", "input2"], {"input": fl(3, 2), "input2": fl(3, 3, post=lambda t: t.tril()
                                                                                + 3 * torch.eye(3))}))
    op("inv", V(X, {"input": spd}), forms=["linalg"])
    op("inverse", V(X, {"input": spd}))
    for name in ["det", "slogdet", "logdet", "matrix_exp"]:
        op(name, V(X, {"input": spd}), forms=["torch", "method", "linalg"] if name in ("det", "slogdet", "matrix_exp")
           else ["torch", "method"])
    op("solve", V(["input", "other"], {"input": spd, "other": fl(3, 2)}), forms=["linalg"])
    tri = fl(3, 3, post=lambda t: t.tril() + 3 * torch.eye(3))  # well-conditioned triangular
    AB = ["A", "B"]
    for name, variant in (
            ("vector_norm", V(["x", "ord", "dim", "keepdim"], {"x": fl(*S23)})),
            ("matrix_norm", V(["A", "ord", "dim", "keepdim"], {"A": fl(3, 3)})),
            ("svdvals", V(["A"], {"A": fl(3, 3)})),
            ("pinv", V(["input"], {"input": fl(3, 2)})),
            ("eigvals", V(["A"], {"A": fl(3, 3)})),
            ("eig", V(["A"], {"A": fl(3, 3)})),
            ("solve_triangular", V(AB, {"A": tri, "B": fl(3, 2)}, kw={"upper": False})),
            ("solve_ex", V(AB, {"A": spd, "B": fl(3, 2)})),
            ("inv_ex", V(["A"], {"A": spd})),
            ("cholesky_ex", V(["A"], {"A": spd})),
            ("lu_factor", V(["A"], {"A": spd})),
            ("lu_factor_ex", V(["A"], {"A": spd})),
            ("lstsq", V(["A", "B"], {"A": fl(4, 3), "B": fl(4, 2)})),
            ("matrix_power", V(["A", "n"], {"A": fl(3, 3), "n": 3})),
            ("multi_dot", V(["tensors"], {"tensors": TList(fl(3, 3), n=3)})),
            ("vecdot", V(["x", "y", "dim"], {"x": fl(*S23), "y": fl(*S23)}))):
        op(name, variant, forms=["linalg"])
    op("lu_solve", V(["LU", "pivots", "B"], {"LU": Tn(lambda: torch.linalg.lu_factor(torch.randn(3, 3) + 3 * torch.eye(3))[0]),
                                             "pivots": const(lambda: torch.arange(1, 4, dtype=torch.int32)),
                                             "B": fl(3, 2)}), forms=["linalg"])
    op("cross", V(["input", "other", "dim"], {"input": fl(2, 3), "other": fl(2, 3), "dim": -1}),
       forms=["torch", "method", "linalg"])

    # ---- fft (complex results: backward runs through their real and imaginary parts)
    cx = lambda *s: Tn(lambda: torch.randn(*s, dtype=torch.cfloat))  # noqa: E731
    for name in ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]:
        # fft/ifft of a real input keep it for backward, of a complex one not: the engine does not know which, so
        # the complex input's facts stand (a save missed, never one made up)
        maker = cx(3, 4) if name in ("irfft", "hfft", "fft", "ifft") else fl(3, 4)
        op(name, V(["input", "n", "dim", "norm"], {"input": maker}), forms=["fft"])
    for name in ["fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn"]:
        maker = cx(2, 3, 4) if name.startswith("irfft") else fl(2, 3, 4)
        op(name, V(["input", "s", "dim", "norm"], {"input": maker}), forms=["fft"])
    for name in ["fftshift", "ifftshift"]:
        op(name, V(["input", "dim"], {"input": fl(3, 4)}), forms=["fft"])

    # ---- special functions (also under torch and as methods when torch has them there)
    for name in ["ndtr", "log_ndtr", "erfcx", "entr", "i0e", "i1", "i1e", "erfc", "erfinv", "digamma", "lgamma",
                 "i0", "sinc", "acos", "asin", "asinh", "atanh", "ceil", "round", "trunc", "conj", "absolute",
                 "nan_to_num", "adjoint", "fix"]:
        unary(name, prob(*S23) if name in ("erfinv", "atanh", "acos", "asin") else None)
    unary("ndtri", prob(*S23))
    op("logit", V(["input", "eps"], {"input": prob(*S23)}))
    for name in ["xlogy", "xlog1py"]:
        op(name,
           V(XO, {"input": fl(*S23), "other": pos(*S23)}, when={"other": "tensor"}),
           V(XO, {"input": fl(*S23), "other": 2.0}, when={"other": "number"}))
    op("multigammaln", V(["input", "p"], {"input": Tn(lambda: torch.rand(*S23) + 2.0), "p": 2}))
    for name in ["logaddexp", "copysign", "hypot", "fmin", "fmax", "remainder", "fmod", "kron", "multiply",
                 "subtract"]:
        op(name, V(XO, {"input": fl(*S23), "other": pos(*S23)}))

    # ---- sparse tensors (the constructor keeps its result for backward: measured)
    op("sparse_coo_tensor", V(["indices", "values", "size"], {
        "indices": const(lambda: torch.tensor([[0, 1, 2], [1, 2, 0]])), "values": fl(3), "size": (3, 3)}),
       forms=["torch"])
    sparse = Tn(lambda: torch.randn(3, 3).relu().to_sparse())
    op("to_dense", V(["input"], {"input": sparse}), forms=["method"])

    # ---- more tensor methods and torch functions the corpus calls
    for name, ip in (("clamp_min", False), ("clamp_min_", True), ("clamp_max", False), ("clamp_max_", True)):
        op(name, V(["input", "min" if "min" in name else "max"], {"input": fl(*S23),
                                                                   "min" if "min" in name else "max": 0.1},
                   inplace=ip), twin=name[:-1] if ip else name + "_")
    for name, ip in (("masked_scatter", False), ("masked_scatter_", True)):
        op(name, V(["input", "mask", "source"], {"input": fl(*S23), "mask": mask(*S23), "source": fl(*S23)},
                   inplace=ip), twin=name[:-1] if ip else name + "_")
    for name, ip in (("index_copy", False), ("index_copy_", True)):
        op(name, V(["input", "dim", "index", "source"], {"input": fl(3, 4), "dim": 0,
                                                         "index": const(lambda: torch.tensor([0, 2])),
                                                         "source": fl(2, 4)}, inplace=ip),
           twin=name[:-1] if ip else name + "_")
    op("lerp_",
       V(lp, {"input": fl(*S23), "end": fl(*S23), "weight": 0.3}, when={"weight": "number"}, inplace=True),
       V(lp, {"input": fl(*S23), "end": fl(*S23), "weight": prob(*S23)}, when={"weight": "tensor"}, inplace=True),
       twin="lerp")
    for name in ["tril_", "triu_"]:
        op(name, V(["input", "diagonal"], {"input": fl(3, 3)}, inplace=True), twin=name[:-1])
    for name in ["floor_", "round_", "trunc_", "ceil_", "sign_", "rsqrt_"]:
        unary_inplace(name, twin=name[:-1], maker=pos(*S23) if name == "rsqrt_" else None)
    op("repeat_interleave", V(["input", "repeats", "dim"], {"input": fl(*S23), "repeats": 2, "dim": 0}))
    op("broadcast_to", V(["input", "size"], {"input": fl(1, 3), "size": (2, 3)}))
    op("reshape_as", V(XO, {"input": fl(2, 3), "other": const(lambda: torch.zeros(3, 2))}), forms=["method"])
    op("type_as", V(XO, {"input": fl(2, 3), "other": const(lambda: torch.zeros(3, 2, dtype=torch.float64))}),
       forms=["method"])
    op("view_as_real", V(["input"], {"input": cx(2, 3)}))
    op("view_as_complex", V(["input"], {"input": fl(2, 3, 2)}))
    op("take_along_dim", V(["input", "indices", "dim"], {"input": fl(3, 4), "indices": const(
        lambda: torch.tensor([[0], [2], [1]])), "dim": 1}))
    op("diag_embed", V(["input"], {"input": fl(2, 3)}))
    op("trace", V(["input"], {"input": fl(3, 3)}))
    for name in ["swapaxes", "moveaxis"]:
        op(name, V(["input", "axis0" if name == "swapaxes" else "source", "axis1" if name == "swapaxes"
                    else "destination"], {"input": fl(2, 3, 4), "axis0" if name == "swapaxes" else "source": 0,
                                          "axis1" if name == "swapaxes" else "destination": 2}))
    for name in ["cummax", "cummin"]:
        op(name, V(["input", "dim"], {"input": fl(*S23), "dim": 1}))
    for name in ["mode", "kthvalue"]:
        op(name, V(["input", "k", "dim"] if name == "kthvalue" else ["input", "dim"],
                   {"input": fl(*S23), "k": 2, "dim": 1} if name == "kthvalue" else {"input": fl(*S23), "dim": 1}))
    op("diff", V(["input", "n", "dim"], {"input": fl(3, 4)}))
    op("quantile", V(["input", "q", "dim"], {"input": fl(3, 4), "q": 0.5, "dim": 1}))
    op("nanmean", V(red, {"input": fl(*S23)}, when={"dim": "absent"}),
       V(red, {"input": fl(*S23), "dim": 1}, when={"dim": "present"}))
    op("rot90", V(["input", "k", "dims"], {"input": fl(3, 4)}))
    op("concat", V(["tensors", "dim"], {"tensors": TList(fl(*S23))}))
    for name in ["hstack", "vstack", "block_diag"]:
        op(name, V(["tensors"], {"tensors": TList(fl(*S23))}) if name != "block_diag" else
           V(["tensor0", "tensor1"], {"tensor0": fl(2, 2), "tensor1": fl(3, 3)}), forms=["torch"])
    op("polar", V(["abs", "angle"], {"abs": pos(*S23), "angle": fl(*S23)}), forms=["torch"])
    op("complex", V(["real", "imag"], {"real": fl(*S23), "imag": fl(*S23)}), forms=["torch"])

    # ---- matmul family
    op("matmul", V(XO, {"input": fl(2, 3), "other": fl(3, 4)},
                   alts=[{"input": fl(2, 2, 3)}, {"input": fl(3)}, {"other": fl(3)}]), operators=["@"])
    op("mm", V(["input", "mat2"], {"input": fl(2, 3), "mat2": fl(3, 4)}))
    op("bmm", V(["input", "mat2"], {"input": fl(2, 2, 3), "mat2": fl(2, 3, 4)}))
    op("mv", V(["input", "vec"], {"input": fl(2, 3), "vec": fl(3)}))
    op("dot", V(["input", "tensor"], {"input": fl(3), "tensor": fl(3)}))
    op("outer", V(["input", "vec2"], {"input": fl(3), "vec2": fl(2)}))
    op("addmm", V(["input", "mat1", "mat2"], {"input": fl(2, 4), "mat1": fl(2, 3), "mat2": fl(3, 4)}))
    op("baddbmm", V(["input", "batch1", "batch2"],
                    {"input": fl(2, 2, 4), "batch1": fl(2, 2, 3), "batch2": fl(2, 3, 4)}))
    op("einsum", V(["equation", "operand0", "operand1"],
                   {"equation": "ij,jk->ik", "operand0": fl(2, 3), "operand1": fl(3, 4)}))
    op("tensordot", V(["a", "b", "dims"], {"a": fl(2, 3), "b": fl(3, 4), "dims": 1}))
    op("linear",
       V(["input", "weight", "bias"], {"input": fl(2, 3), "weight": fl(4, 3), "bias": fl(4)},
         alts=[{"input": fl(2, 2, 3)}, {"input": fl(3)}]))
    op("bilinear", V(["input1", "input2", "weight", "bias"],
                     {"input1": fl(2, 3), "input2": fl(2, 2), "weight": fl(4, 3, 2), "bias": fl(4)}))
    cv = ["input", "weight", "bias"]
    op("conv1d", V(cv, {"input": fl(1, 2, 5), "weight": fl(3, 2, 2), "bias": fl(3)}))
    op("conv2d", V(cv, {"input": fl(1, 2, 4, 4), "weight": fl(3, 2, 2, 2), "bias": fl(3)}))
    op("conv3d", V(cv, {"input": fl(1, 2, 3, 3, 3), "weight": fl(3, 2, 2, 2, 2), "bias": fl(3)}))
    op("conv_transpose2d", V(cv, {"input": fl(1, 2, 3, 3), "weight": fl(2, 3, 2, 2), "bias": fl(3)}))

    # ---- normalisation
    bn = ["input", "running_mean", "running_var", "weight", "bias", "training"]
    rm = const(lambda: torch.zeros(3))
    rv = const(lambda: torch.ones(3))
    op("batch_norm",
       V(bn, {"input": fl(4, 3), "running_mean": rm, "running_var": rv, "weight": fl(3), "bias": fl(3)},
         when={"training": "absent"}),
       V(bn, {"input": fl(4, 3), "running_mean": rm, "running_var": rv, "weight": fl(3), "bias": fl(3),
              "training": False}, when={"training": "false"}),
       V(bn, {"input": fl(4, 3), "running_mean": rm, "running_var": rv, "weight": fl(3), "bias": fl(3),
              "training": True}, when={"training": "true"}),
       forms=["functional"])
    op("layer_norm", V(["input", "normalized_shape", "weight", "bias"],
                       {"input": fl(2, 3), "normalized_shape": (3,), "weight": fl(3), "bias": fl(3)}),
       forms=["functional"])
    op("group_norm", V(["input", "num_groups", "weight", "bias"],
                       {"input": fl(2, 4, 3), "num_groups": 2, "weight": fl(4), "bias": fl(4)}),
       forms=["functional"])
    op("instance_norm", V(["input", "running_mean", "running_var", "weight", "bias"],
                          {"input": fl(2, 3, 4), "weight": fl(3), "bias": fl(3)}), forms=["functional"])
    op("normalize", V(["input", "p", "dim"], {"input": fl(*S23)}))
    op("rms_norm", V(["input", "normalized_shape", "weight"],
                     {"input": fl(2, 3), "normalized_shape": (3,), "weight": fl(3)}), forms=["functional"])

    # ---- indexing
    op("index_select", V(["input", "dim", "index"],
                         {"input": fl(3, 4), "dim": 0, "index": const(lambda: torch.tensor([0, 2]))}))
    op("gather", V(["input", "dim", "index"],
                   {"input": fl(3, 4), "dim": 1, "index": const(lambda: torch.tensor([[0, 1], [2, 3], [1, 1]]))}))
    sc = ["input", "dim", "index", "src"]
    sidx = const(lambda: torch.tensor([[0, 1, 2, 0]]))
    for name, ip in (("scatter", False), ("scatter_", True)):
        op(name,
           V(sc, {"input": fl(3, 4), "dim": 0, "index": sidx, "src": fl(1, 4)}, when={"src": "tensor"},
             inplace=ip),
           V(sc, {"input": fl(3, 4), "dim": 0, "index": sidx, "src": 1.5}, when={"src": "number"}, inplace=ip),
           twin="scatter_" if not ip else "scatter")
    for name, ip in (("scatter_add", False), ("scatter_add_", True)):
        op(name, V(sc, {"input": fl(3, 4), "dim": 0, "index": sidx, "src": fl(1, 4)}, inplace=ip),
           twin="scatter_add_" if not ip else "scatter_add")
    mf = ["input", "mask", "value"]
    for name, ip in (("masked_fill", False), ("masked_fill_", True)):
        op(name,
           V(mf, {"input": fl(*S23), "mask": mask(*S23), "value": 0.0}, when={"value": "number"}, inplace=ip),
           V(mf, {"input": fl(*S23), "mask": mask(*S23), "value": Tn(lambda: torch.tensor(0.5))},
             when={"value": "tensor"}, inplace=ip),
           twin="masked_fill_" if not ip else "masked_fill")
    op("masked_select", V(["input", "mask"], {"input": fl(*S23), "mask": mask(*S23)}))
    ia = ["input", "dim", "index", "source"]
    for name, ip in (("index_add", False), ("index_add_", True)):
        op(name, V(ia, {"input": fl(3, 4), "dim": 0, "index": const(lambda: torch.tensor([0, 2])),
                        "source": fl(2, 4)}, inplace=ip),
           twin="index_add_" if not ip else "index_add")
    op("take", V(["input", "index"], {"input": fl(3, 4), "index": const(lambda: torch.tensor([0, 5, 11]))}))
    gi = ["input", "index"]
    op("__getitem__",
       V(gi, {"input": fl(3, 4), "index": 0}, when={"index": "basic"},
         alts=[{"index": slice(1, None)}, {"index": (slice(None), 0)}, {"index": (None, Ellipsis)},
               {"index": (Ellipsis, slice(0, 2))}]),
       V(gi, {"input": fl(3, 4), "index": const(lambda: torch.tensor([0, 2]))}, when={"index": "advanced"},
         alts=[{"index": mask(3, 4)}]),
       forms=["operator:[]"])
    op("__setitem__",
       V(["input", "index", "value"], {"input": fl(3, 4), "index": 0, "value": fl(4)},
         when={"index": "basic", "value": "tensor"}, inplace=True),
       V(["input", "index", "value"], {"input": fl(3, 4), "index": 0, "value": 0.0},
         when={"index": "basic", "value": "number"}, inplace=True),
       V(["input", "index", "value"], {"input": fl(3, 4), "index": const(lambda: torch.tensor([0, 2])),
                                       "value": fl(2, 4)},
         when={"index": "advanced", "value": "tensor"}, inplace=True),
       V(["input", "index", "value"], {"input": fl(3, 4), "index": mask(3, 4), "value": 0.0},
         when={"index": "advanced", "value": "number"}, inplace=True),
       forms=["operator:[]="])

    # ---- views and shape ops
    op("view", V(["input", "shape"], {"input": fl(2, 3), "shape": (3, 2)}))
    op("view_as", V(XO, {"input": fl(2, 3), "other": const(lambda: torch.zeros(3, 2))}))
    op("reshape",
       V(["input", "shape"], {"input": fl(2, 3), "shape": (3, 2)}),
       V(["input", "shape"], {"input": fl(3, 2, post=lambda t: t.t()), "shape": (6,)},
         when={"input": "noncontiguous"}))
    op("t", V(X, {"input": fl(2, 3)}))
    op("transpose", V(["input", "dim0", "dim1"], {"input": fl(2, 3), "dim0": 0, "dim1": 1}))
    op("permute", V(["input", "dims"], {"input": fl(2, 3, 4), "dims": (2, 0, 1)}))
    op("expand", V(["input", "size"], {"input": fl(1, 3), "size": (2, 3)}))
    op("expand_as", V(XO, {"input": fl(1, 3), "other": const(lambda: torch.zeros(2, 3))}))
    op("narrow", V(["input", "dim", "start", "length"], {"input": fl(3, 4), "dim": 1, "start": 1, "length": 2}))
    op("select", V(["input", "dim", "index"], {"input": fl(3, 4), "dim": 1, "index": 1}))
    op("squeeze", V(["input", "dim"], {"input": fl(1, 3)}))
    op("unsqueeze", V(["input", "dim"], {"input": fl(2, 3), "dim": 0}))
    op("flatten", V(["input", "start_dim", "end_dim"], {"input": fl(2, 3, 2)}))
    op("unflatten", V(["input", "dim", "sizes"], {"input": fl(2, 6), "dim": 1, "sizes": (2, 3)}))
    op("movedim", V(["input", "source", "destination"], {"input": fl(2, 3, 4), "source": 0, "destination": 2}))
    op("diagonal", V(["input", "offset"], {"input": fl(3, 3)}))
    op("as_strided", V(["input", "size", "stride"], {"input": fl(3, 4), "size": (2, 2), "stride": (1, 2)}))
    op("unfold", V(["input", "dimension", "size", "step"], {"input": fl(6), "dimension": 0, "size": 2, "step": 2}),
       forms=["method"])
    op("unbind", V(["input", "dim"], {"input": fl(3, 4)}))
    op("split", V(["input", "split_size_or_sections", "dim"], {"input": fl(4, 3), "split_size_or_sections": 2}))
    op("chunk", V(["input", "chunks", "dim"], {"input": fl(4, 3), "chunks": 2}))
    op("tensor_split", V(["input", "sections", "dim"], {"input": fl(4, 3), "sections": 2}))
    op("detach", V(X, {"input": fl(*S23)}))
    op("contiguous",
       V(X, {"input": fl(*S23)}),
       V(X, {"input": fl(3, 2, post=lambda t: t.t())}, when={"input": "noncontiguous"}))
    op("clone", V(X, {"input": fl(*S23)}))
    op("cat", V(["tensors", "dim"], {"tensors": TList(fl(*S23))}))
    op("stack", V(["tensors", "dim"], {"tensors": TList(fl(*S23))}))
    op("flip", V(["input", "dims"], {"input": fl(*S23), "dims": (0,)}))
    op("roll", V(["input", "shifts", "dims"], {"input": fl(*S23), "shifts": 1, "dims": 1}))
    op("repeat", V(["input", "repeats"], {"input": fl(*S23), "repeats": (2, 1)}), forms=["method"])
    op("tile", V(["input", "dims"], {"input": fl(*S23), "dims": (2, 1)}))
    op("tril", V(["input", "diagonal"], {"input": fl(3, 3)}))
    op("triu", V(["input", "diagonal"], {"input": fl(3, 3)}))
    op("diag", V(["input", "diagonal"], {"input": fl(3)}))
    op("to", V(["input", "dtype"], {"input": fl(*S23), "dtype": torch.float64}), forms=["method"])
    op("float", V(X, {"input": Tn(lambda: torch.randn(*S23, dtype=torch.float64))}), forms=["method"])

    # ---- in-place fills and copies
    op("copy_", V(["input", "src"], {"input": fl(*S23), "src": fl(*S23)}, inplace=True))
    op("fill_",
       V(["input", "value"], {"input": fl(*S23), "value": 0.5}, when={"value": "number"}, inplace=True),
       V(["input", "value"], {"input": fl(*S23), "value": Tn(lambda: torch.tensor(0.5))},
         when={"value": "tensor"}, inplace=True))
    op("zero_", V(X, {"input": fl(*S23)}, inplace=True))

    # ---- losses
    def loss(name, a, b, extra=None):
        op(name, V(["input", "target"], {"input": a, "target": b}, kw=extra or {}), forms=["functional"])

    loss("mse_loss", fl(*S23), fl(*S23))
    loss("l1_loss", fl(*S23), fl(*S23))
    loss("smooth_l1_loss", fl(*S23), fl(*S23))
    loss("huber_loss", fl(*S23), fl(*S23))
    loss("cross_entropy", fl(2, 3), lng(2, high=3))
    loss("nll_loss", Tn(lambda: torch.randn(2, 3).log_softmax(1)), lng(2, high=3))
    loss("binary_cross_entropy", prob(*S23), prob(*S23))
    loss("binary_cross_entropy_with_logits", fl(*S23), prob(*S23))
    loss("kl_div", Tn(lambda: torch.randn(2, 3).log_softmax(1)), prob(*S23), {"reduction": "batchmean"})
    loss("soft_margin_loss", fl(*S23), Tn(lambda: torch.tensor([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]]), grad=False))
    op("cosine_similarity", V(["x1", "x2", "dim"], {"x1": fl(2, 3), "x2": fl(2, 3)}), forms=["functional"])
    op("pairwise_distance", V(["x1", "x2"], {"x1": fl(2, 3), "x2": fl(2, 3)}), forms=["functional"])
    op("cdist", V(["x1", "x2", "p"], {"x1": fl(2, 3), "x2": fl(4, 3)}), forms=["torch"])
    op("pdist", V(["input", "p"], {"input": fl(4, 3)}), forms=["torch", "functional"])
    op("dist", V(["input", "other", "p"], {"input": fl(2, 3), "other": fl(2, 3)}))

    # ---- dropout, embedding, padding, resampling, pooling
    dp = ["input", "p", "training", "inplace"]
    op("dropout",
       V(dp, {"input": fl(4, 4), "p": 0.5}),
       V(dp, {"input": fl(4, 4), "p": 0.5, "inplace": True}, when={"inplace": "true"}, inplace=True),
       V(dp, {"input": fl(4, 4), "p": 0.5, "training": False}, when={"training": "false"}),
       forms=["functional"])
    op("embedding", V(["input", "weight"], {"input": const(lambda: torch.tensor([[0, 2], [1, 0]])),
                                            "weight": fl(3, 4)}), forms=["functional"])
    pad = ["input", "pad", "mode", "value"]
    op("pad", V(pad, {"input": fl(*S23), "pad": (1, 1)}),
       # the border modes other than "constant": a mode the call names as a constant string picks its variant
       *[V(pad, {"input": fl(1, 1, 3, 3), "pad": (1, 1, 1, 1), "mode": mode}, when={"mode": "=" + mode})
         for mode in ("replicate", "reflect", "circular")])
    op("interpolate",
       V(["input", "size", "scale_factor", "mode"], {"input": fl(1, 1, 2, 2), "scale_factor": 2.0},
         when={"mode": "absent"}),
       V(["input", "size", "scale_factor", "mode"], {"input": fl(1, 1, 2, 2), "scale_factor": 2.0,
                                                     "mode": "bilinear"}, when={"mode": "present"}))
    op("avg_pool2d", V(["input", "kernel_size"], {"input": fl(1, 1, 4, 4), "kernel_size": 2}),
       forms=["functional"])
    op("max_pool2d", V(["input", "kernel_size"], {"input": fl(1, 1, 4, 4), "kernel_size": 2}),
       forms=["functional"])
    op("avg_pool1d", V(["input", "kernel_size"], {"input": fl(1, 1, 4), "kernel_size": 2}), forms=["functional"])
    op("max_pool1d", V(["input", "kernel_size"], {"input": fl(1, 1, 4), "kernel_size": 2}), forms=["functional"])
    op("adaptive_avg_pool2d", V(["input", "output_size"], {"input": fl(1, 1, 4, 4), "output_size": 2}),
       forms=["functional"])
    op("adaptive_max_pool2d", V(["input", "output_size"], {"input": fl(1, 1, 4, 4), "output_size": 2}),
       forms=["functional"])

    # ---- more torch functions and tensor methods the corpus calls
    for name in ["std_mean", "var_mean"]:
        op(name, V(red, {"input": fl(*S23), "dim": 1}), forms=["torch"])
    op("aminmax", V(["input", "dim"], {"input": fl(*S23)}))
    op("cov", V(["input"], {"input": fl(3, 4)}))
    op("trapezoid", V(["y", "x", "dim"], {"y": fl(*S23)}), forms=["torch"])
    for name in ["ravel", "flipud", "rad2deg", "deg2rad"]:
        unary(name)
    op("real", V(["input"], {"input": Tn(lambda: torch.randn(*S23, dtype=torch.cfloat))}), forms=["torch"])
    for name in ["true_divide", "divide"]:
        op(name, V(XO, {"input": fl(*S23), "other": pos(*S23)}, when={"other": "tensor"}),
           V(XO, {"input": fl(*S23), "other": 2.0}, when={"other": "number"}))
    op("ger", V(["input", "vec2"], {"input": fl(3), "vec2": fl(2)}))
    op("split_with_sizes", V(["input", "split_sizes", "dim"], {"input": fl(4, 3), "split_sizes": (1, 3)}))
    for name in ["erfinv_", "clip_", "remainder_", "fmod_"]:
        op(name, V(XO if name in ("remainder_", "fmod_") else ["input", "min", "max"],
                   {"input": prob(*S23), "other": 0.7} if name in ("remainder_", "fmod_") else
                   {"input": prob(*S23), "min": 0.2, "max": 0.6} if name == "clip_" else {"input": prob(*S23)},
                   inplace=True), twin=name[:-1], forms=["method"])
    op("cumsum_", V(["input", "dim"], {"input": fl(*S23), "dim": 1}, inplace=True), twin="cumsum", forms=["method"])
    op("fill_diagonal_", V(["input", "fill_value"], {"input": fl(3, 3), "fill_value": 0.0}, inplace=True),
       forms=["method"])
    for name, ip in (("index_put", False), ("index_put_", True)):
        op(name, V(["input", "indices", "values"], {"input": fl(3, 4), "indices": TList(const(lambda: torch.tensor([0, 2])), n=1),
                                                     "values": fl(2, 4)}, inplace=ip),
           twin=name[:-1] if ip else name + "_")
    for name, ip in (("scatter_reduce", False), ("scatter_reduce_", True)):
        op(name, V(["input", "dim", "index", "src", "reduce"], {"input": fl(3, 4), "dim": 0, "index": sidx,
                                                                "src": fl(1, 4), "reduce": "sum"}, inplace=ip),
           twin=name[:-1] if ip else name + "_")

    # ---- more of torch.nn.functional
    op("conv_transpose1d", V(cv, {"input": fl(1, 2, 3), "weight": fl(2, 3, 2), "bias": fl(3)}))
    op("conv_transpose3d", V(cv, {"input": fl(1, 2, 2, 2, 2), "weight": fl(2, 3, 2, 2, 2), "bias": fl(3)}))
    op("max_pool3d", V(["input", "kernel_size"], {"input": fl(1, 1, 4, 4, 4), "kernel_size": 2}),
       forms=["functional"])
    op("avg_pool3d", V(["input", "kernel_size"], {"input": fl(1, 1, 4, 4, 4), "kernel_size": 2}),
       forms=["functional"])
    op("adaptive_avg_pool1d", V(["input", "output_size"], {"input": fl(1, 1, 4), "output_size": 2}))
    op("pixel_shuffle", V(["input", "upscale_factor"], {"input": fl(1, 4, 2, 2), "upscale_factor": 2}))
    op("pixel_unshuffle", V(["input", "downscale_factor"], {"input": fl(1, 1, 4, 4), "downscale_factor": 2}))
    op("grid_sample", V(["input", "grid"], {"input": fl(1, 1, 4, 4), "grid": Tn(lambda: torch.rand(1, 3, 3, 2) * 2 - 1)},
                        kw={"align_corners": False}), forms=["functional"])
    op("affine_grid", V(["theta", "size"], {"theta": fl(1, 2, 3), "size": (1, 1, 4, 4)}, kw={"align_corners": False}),
       forms=["functional"])


# ----------------------------------------------------------------------------------------------
# Running one variant


class OpCallError(Exception):
    pass


def candidate_forms(spec: OpSpec, v: V) -> list[str]:
    if v.forms is not None:
        forms = list(v.forms)
    elif spec.forms is not None:
        forms = list(spec.forms)
    else:
        forms = []
        if callable(getattr(torch, spec.name, None)):
            forms.append("torch")
        if callable(getattr(torch.Tensor, spec.name, None)):
            forms.append("method")
        if callable(getattr(F, spec.name, None)):
            forms.append("functional")
        for namespace in AUTO_NAMESPACES:
            if callable(getattr(getattr(torch, namespace), spec.name, None)):
                forms.append(namespace)
    forms += [f"operator:{s}" for s in spec.operators]
    return forms


def tensors_of(val) -> list[torch.Tensor]:
    if isinstance(val, torch.Tensor):
        return [val]
    if isinstance(val, (list, tuple)):
        return [t for t in val if isinstance(t, torch.Tensor)]
    return []


def is_tensor_arg(a) -> bool:
    return isinstance(a, (Tn, TList))


def build(spec: OpSpec, v: V, args: dict[str, Any], grad: frozenset[str], seed: int = 0) -> dict[str, Any]:
    torch.manual_seed(seed)
    vals: dict[str, Any] = {}
    for p in v.params:
        a = args.get(p, ABSENT)
        if isinstance(a, Tn):
            t = a.make()
            if p in grad:
                t.requires_grad_()
                if v.inplace and p == v.params[0]:
                    t = t.clone()  # a leaf that requires grad cannot be changed in place
            if a.post:
                t = a.post(t)
            vals[p] = t
        elif isinstance(a, TList):
            items = []
            for _ in range(a.n):
                t = a.item.make()
                if p in grad:
                    t.requires_grad_()
                items.append(t)
            vals[p] = items
        else:
            vals[p] = a
    return vals


def call(spec: OpSpec, v: V, form: str, vals: dict[str, Any]):
    positional: list[Any] = []
    kw = dict(v.kw)
    still_positional = True
    for p in v.params:
        val = vals[p]
        if val is ABSENT:
            still_positional = False
            continue
        if still_positional:
            positional.append(val)
        else:
            kw[p] = val
    name = spec.name
    if form == "torch":
        return getattr(torch, name)(*positional, **kw)
    if form == "method":
        return getattr(positional[0], name)(*positional[1:], **kw)
    if form == "functional":
        return getattr(F, name)(*positional, **kw)
    if form in NAMESPACES:  # torch.linalg.inv, torch.fft.rfftn, torch.special.ndtr, torch.sparse.mm
        return getattr(getattr(torch, form), name)(*positional, **kw)
    if form == "operator:[]=":
        target, index, value = positional
        target[index] = value
        return target
    if form.startswith("operator:"):
        if kw:
            raise OpCallError("operators take no keywords")
        return OPERATORS[form.split(":", 1)[1]](*positional)
    raise ValueError(form)


def first_tensor(out) -> torch.Tensor | None:
    if isinstance(out, torch.Tensor):
        return out
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    return None


def result_of(v: V, vals: dict[str, Any], out) -> torch.Tensor | None:
    if v.inplace:
        return vals[v.params[0]]
    return first_tensor(out)


def loss_of(res: torch.Tensor) -> torch.Tensor:
    """A real scalar to call backward on: the sum of the result (its real and imaginary parts for a complex one).
    A sparse result is cloned first: every reduction of a sparse tensor keeps it for backward (torch.sparse.sum,
    to_dense, mm), the clone's backward keeps nothing, so what is found saved is what the op itself kept."""
    s = torch.sparse.sum(res.clone()) if res.is_sparse else res.sum()
    return s.real + s.imag if s.is_complex() else s


def bump(t: torch.Tensor) -> None:
    with torch.no_grad():
        before = t._version
        try:
            if t.is_floating_point() or t.is_complex():
                t.mul_(1)
            else:
                t.copy_(t.clone())
        except RuntimeError:  # e.g. an expanded tensor cannot be written to; its counter can still move
            torch.autograd.graph.increment_version(t)
        assert t._version > before


@dataclass
class Ctx:
    spec: OpSpec
    v: V
    args: dict[str, Any]
    form: str
    problems: list[str]


def run(ctx: Ctx, grad: frozenset[str]):
    vals = build(ctx.spec, ctx.v, ctx.args, grad)
    out = call(ctx.spec, ctx.v, ctx.form, vals)
    return vals, out


def measure_saved(ctx: Ctx, grad: frozenset[str], target: str) -> bool | None:
    """True if bumping `target` after the op makes backward fail because a saved tensor changed."""
    vals, out = run(ctx, grad)
    res = result_of(ctx.v, vals, out)
    if res is None or not res.requires_grad:
        return None
    s = loss_of(res)
    if target == RESULT:
        victim = res
    elif isinstance(target, int):  # another output of a tuple-returning op
        victim = out[target]
    else:
        victim = tensors_of(vals[target])[0]
    bump(victim)
    try:
        s.backward()
    except RuntimeError as e:
        if INPLACE_ERR in str(e):
            return True
        ctx.problems.append(f"{ctx.spec.name} {ctx.v.when}: backward after bumping {target} with grad "
                            f"{sorted(grad)}: {str(e).splitlines()[0]}")
        return None
    return False


def saved_tensor_attrs(grad_fn) -> list[str]:
    names = []
    if grad_fn is None:
        return names
    for a in dir(grad_fn):
        if not a.startswith("_saved_"):
            continue
        try:
            val = getattr(grad_fn, a)
        except Exception:
            continue
        if isinstance(val, torch.Tensor) or (isinstance(val, (tuple, list)) and val
                                             and all(isinstance(x, torch.Tensor) for x in val)):
            names.append(a)
    return names


def same_output(a, b) -> bool:
    ta, tb = first_tensor(a), first_tensor(b)
    if ta is None or tb is None:
        return False
    if ta.shape != tb.shape or ta.dtype != tb.dtype:
        return False
    return bool(torch.allclose(ta.detach(), tb.detach(), equal_nan=True))


def analyse_variant(spec: OpSpec, v: V, args: dict[str, Any], problems: list[str],
                    forms: list[str] | None = None) -> tuple[dict[str, Any] | None, list[str]]:
    """Facts of one variant, measured through the first form that works.

    Also returns the forms that work but build a different graph (e.g. ``2 - x`` is ``RsubBackward1``
    while ``torch.sub(2, x)`` is ``SubBackward0``): those are measured as variants of their own.
    """
    tparams = [p for p in v.params if is_tensor_arg(args.get(p, ABSENT))]
    candidates = [p for p in tparams if (isinstance(args[p], Tn) and args[p].grad)
                  or (isinstance(args[p], TList) and args[p].item.grad)]
    all_grad = frozenset(candidates)

    # Which forms accept this call, with the same grad_fn and value as the first one that works.
    working: list[str] = []
    different: list[str] = []
    ref = None
    for form in forms if forms is not None else candidate_forms(spec, v):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                vals, out = run(Ctx(spec, v, args, form, problems), all_grad)
        except Exception:
            continue
        res = result_of(v, vals, out)
        if res is None:
            continue
        gf = type(res.grad_fn).__name__ if res.grad_fn is not None else None
        if ref is None:
            ref = (form, gf, out if not v.inplace else res)
            working.append(form)
        elif gf == ref[1] and same_output(out if not v.inplace else res, ref[2]):
            working.append(form)
        else:
            different.append(form)
    if not working:
        problems.append(f"{spec.name} {v.when}: no form could be called")
        return None, []
    ctx = Ctx(spec, v, args, working[0], problems)

    # Differentiable params: requiring grad on them alone makes the result require grad.
    diff = []
    for q in candidates:
        try:
            vals, out = run(ctx, frozenset([q]))
        except RuntimeError as e:
            problems.append(f"{spec.name} {v.when}: {q} cannot require grad: {str(e).splitlines()[0]}")
            continue
        res = result_of(v, vals, out)
        if res is not None and res.requires_grad:
            diff.append(q)
    all_grad = frozenset(diff)

    saves: dict[str, list[str]] = {p: [] for p in tparams}
    saves_result: list[str] = []
    for q in diff:
        for p in tparams:
            if measure_saved(ctx, frozenset([q]), p):
                saves[p].append(q)
        if measure_saved(ctx, frozenset([q]), RESULT):
            saves_result.append(q)
    n_outputs = 0
    without_grad: list[int] = []  # outputs that never require grad (an info code, pivots, indices)
    if not v.inplace:
        _, out = run(ctx, all_grad)
        if isinstance(out, (tuple, list)):
            n_outputs = len(out)
            without_grad = [i for i, t in enumerate(out) if not (isinstance(t, torch.Tensor) and t.requires_grad)]
    saves_outputs: dict[str, list[str]] = {}
    for i in range(1, n_outputs):
        saves_outputs[str(i)] = [q for q in diff if measure_saved(ctx, frozenset([q]), i)]
    if len(diff) > 1:  # the all-grad run must be the union of the single-param runs
        for p in tparams + [RESULT]:
            got = bool(measure_saved(ctx, all_grad, p))
            want = bool(saves_result if p == RESULT else saves[p])
            if got != want:
                problems.append(f"{spec.name} {v.when}: all-grad saves {p}={got} but union says {want}")

    fact: dict[str, Any] = {
        "params": list(v.params),
        "saves": {p: sorted(qs, key=v.params.index) for p, qs in saves.items()},
        "saves_result": sorted(saves_result, key=v.params.index),
        "inplace": v.inplace,
        "forms": working,
    }
    if n_outputs > 1:  # a tuple of tensors (`Q, R = torch.linalg.qr(a)`, `L, info = torch.linalg.cholesky_ex(a)`)
        fact["outputs"] = n_outputs
        if without_grad:
            fact["outputs_without_grad"] = without_grad
    if saves_outputs and any(saves_outputs.values()):
        fact["saves_outputs"] = {k: sorted(qs, key=v.params.index) for k, qs in saves_outputs.items()}
    if v.when:
        fact["when"] = dict(v.when)

    # grad_fn, saved attrs, view-ness, aliasing, multi-output views, frees_saved: on the all-grad run.
    grad_fn_name = None
    saved_attrs: list[str] = []
    view = aliases = multi_view = frees = False
    if diff:
        vals, out = run(ctx, all_grad)
        res = result_of(v, vals, out)
        grad_fn_name = type(res.grad_fn).__name__ if res.grad_fn is not None else None
        saved_attrs = saved_tensor_attrs(res.grad_fn)
    vals, out = run(ctx, all_grad)
    res = result_of(v, vals, out)
    p0 = tensors_of(vals[v.params[0]])
    if not v.inplace and p0 and res is not None:
        p0 = p0[0]
        view = bool(res._is_view()) and not res.is_sparse and \
            res.untyped_storage().data_ptr() == p0.untyped_storage().data_ptr()
        before = p0._version
        bump(res)
        aliases = p0._version > before
    if isinstance(out, (tuple, list)) and not v.inplace and diff:
        vals, out = run(ctx, all_grad)
        try:
            out[0].mul_(1)
        except RuntimeError as e:
            multi_view = MULTI_VIEW_ERR in str(e)
    if diff:
        vals, out = run(ctx, all_grad)
        s = loss_of(result_of(v, vals, out))
        s.backward()
        try:
            s.backward()
        except RuntimeError as e:
            if SECOND_BW_ERR not in str(e):
                problems.append(f"{spec.name} {v.when}: second backward: {str(e).splitlines()[0]}")
            frees = True
    fact.update(grad_fn=grad_fn_name, saved_attrs=saved_attrs, view=view, multi_output_view=multi_view,
                frees_saved=frees)
    fact["aliases"] = bool(aliases)  # bumping the result bumps params[0] (views, detach, returned self)
    if not diff:
        fact["differentiable"] = False
    return fact, different


def comparable(f: dict[str, Any]) -> dict[str, Any]:
    return {k: f[k] for k in ("saves", "saves_result", "view", "multi_output_view", "frees_saved", "aliases")}


def generate_ops(problems: list[str]) -> dict[str, Any]:
    build_specs()
    ops: dict[str, Any] = {}
    for spec in SPECS:
        variants = []
        for v in spec.variants:
            fact, rest = analyse_variant(spec, v, v.args, problems)
            if fact is None:
                continue
            for alt in v.alts:
                alt_fact, _ = analyse_variant(spec, v, {**v.args, **alt}, problems, forms=fact["forms"][:1])
                if alt_fact is None or comparable(alt_fact) != comparable(fact):
                    problems.append(f"{spec.name} {v.when}: alternative args {alt} give different facts: "
                                    f"{alt_fact and comparable(alt_fact)} vs {comparable(fact)}")
            variants.append(fact)
            while rest:  # forms that build another graph for the same call: their own variant
                fact, rest = analyse_variant(spec, v, v.args, problems, forms=rest)
                if fact is None:
                    break
                variants.append(fact)
        if not variants:
            continue
        forms: list[str] = []
        for f in variants:
            forms += [x for x in f["forms"] if x not in forms]
        for f in variants:
            if f["forms"] == forms:
                del f["forms"]
        ops[spec.name] = {"forms": forms, "inplace_twin": spec.twin, "variants": variants}
    # the twin must exist for the engine to use it
    for name, entry in ops.items():
        if entry["inplace_twin"] is not None and entry["inplace_twin"] not in ops:
            twin = entry["inplace_twin"]
            if not callable(getattr(torch.Tensor, twin, None)) and not callable(getattr(torch, twin, None)):
                problems.append(f"{name}: twin {twin} does not exist in torch; dropped")
                entry["inplace_twin"] = None
    return ops


# ----------------------------------------------------------------------------------------------
# nn modules


@dataclass
class ModSpec:
    cls: str
    entry: dict[str, Any]
    make: Callable[..., nn.Module] | None = None
    inputs: list[Tn] = field(default_factory=list)
    op_kwargs: dict[str, Any] = field(default_factory=dict)  # how to call the op to match the module
    when: dict[str, str] = field(default_factory=dict)


def module_specs() -> list[ModSpec]:
    M = ModSpec
    a = fl(2, 3)
    out = [
        M("ReLU", {"op": "relu", "inplace_arg": "inplace"}, lambda **k: nn.ReLU(**k), [a]),
        M("ReLU6", {"op": "relu6", "inplace_arg": "inplace"}, lambda **k: nn.ReLU6(**k), [a]),
        M("LeakyReLU", {"op": "leaky_relu", "inplace_arg": "inplace"}, lambda **k: nn.LeakyReLU(0.1, **k), [a],
          {"negative_slope": 0.1}),
        M("ELU", {"op": "elu", "inplace_arg": "inplace"}, lambda **k: nn.ELU(**k), [a]),
        M("SELU", {"op": "selu", "inplace_arg": "inplace"}, lambda **k: nn.SELU(**k), [a]),
        M("CELU", {"op": "celu", "inplace_arg": "inplace"}, lambda **k: nn.CELU(**k), [a]),
        M("Hardtanh", {"op": "hardtanh", "inplace_arg": "inplace"}, lambda **k: nn.Hardtanh(**k), [a]),
        M("Threshold", {"op": "threshold", "inplace_arg": "inplace"}, lambda **k: nn.Threshold(0.1, 0.0, **k),
          [a], {"threshold": 0.1, "value": 0.0}),
        M("SiLU", {"op": "silu", "inplace_arg": "inplace"}, lambda **k: nn.SiLU(**k), [a]),
        M("Mish", {"op": "mish", "inplace_arg": "inplace"}, lambda **k: nn.Mish(**k), [a]),
        M("Hardswish", {"op": "hardswish", "inplace_arg": "inplace"}, lambda **k: nn.Hardswish(**k), [a]),
        M("Hardsigmoid", {"op": "hardsigmoid", "inplace_arg": "inplace"}, lambda **k: nn.Hardsigmoid(**k), [a]),
        M("GELU", {"op": "gelu"}, lambda: nn.GELU(), [a]),
        M("Sigmoid", {"op": "sigmoid"}, lambda: nn.Sigmoid(), [a]),
        M("Tanh", {"op": "tanh"}, lambda: nn.Tanh(), [a]),
        M("Softplus", {"op": "softplus"}, lambda: nn.Softplus(), [a]),
        M("LogSigmoid", {"op": "logsigmoid"}, lambda: nn.LogSigmoid(), [a]),
        M("Softsign", {"op": "softsign"}, lambda: nn.Softsign(), [a]),
        M("Tanhshrink", {"op": "tanhshrink"}, lambda: nn.Tanhshrink(), [a]),
        M("GLU", {"op": "glu"}, lambda: nn.GLU(), [fl(2, 4)]),
        M("PReLU", {"op": "prelu", "param_args": ["weight"]}, lambda: nn.PReLU(), [a]),
        M("Softmax", {"op": "softmax"}, lambda: nn.Softmax(dim=1), [a], {"dim": 1}),
        M("LogSoftmax", {"op": "log_softmax"}, lambda: nn.LogSoftmax(dim=1), [a], {"dim": 1}),
        M("Softmin", {"op": "softmin"}, lambda: nn.Softmin(dim=1), [a], {"dim": 1}),
        M("Linear", {"op": "linear", "param_args": ["weight", "bias"]}, lambda: nn.Linear(3, 4), [a]),
        M("Bilinear", {"op": "bilinear", "param_args": ["weight", "bias"]}, lambda: nn.Bilinear(3, 2, 4),
          [a, fl(2, 2)]),
        M("Conv1d", {"op": "conv1d", "param_args": ["weight", "bias"]}, lambda: nn.Conv1d(2, 3, 2), [fl(1, 2, 5)]),
        M("Conv2d", {"op": "conv2d", "param_args": ["weight", "bias"]}, lambda: nn.Conv2d(2, 3, 2),
          [fl(1, 2, 4, 4)]),
        M("Conv3d", {"op": "conv3d", "param_args": ["weight", "bias"]}, lambda: nn.Conv3d(2, 3, 2),
          [fl(1, 2, 3, 3, 3)]),
        M("ConvTranspose2d", {"op": "conv_transpose2d", "param_args": ["weight", "bias"]},
          lambda: nn.ConvTranspose2d(2, 3, 2), [fl(1, 2, 3, 3)]),
        M("BatchNorm1d", {"op": "batch_norm", "param_args": ["running_mean", "running_var", "weight", "bias"],
                          "mode_arg": "training"}, lambda: nn.BatchNorm1d(3), [fl(4, 3)], {"training": True},
          {"training": "true"}),
        M("BatchNorm2d", {"op": "batch_norm", "param_args": ["running_mean", "running_var", "weight", "bias"],
                          "mode_arg": "training"}, lambda: nn.BatchNorm2d(3), [fl(2, 3, 2, 2)], {"training": True},
          {"training": "true"}),
        M("BatchNorm3d", {"op": "batch_norm", "param_args": ["running_mean", "running_var", "weight", "bias"],
                          "mode_arg": "training"}, lambda: nn.BatchNorm3d(3), [fl(2, 3, 2, 2, 2)],
          {"training": True}, {"training": "true"}),
        M("LayerNorm", {"op": "layer_norm", "param_args": ["weight", "bias"]}, lambda: nn.LayerNorm(3), [a]),
        M("GroupNorm", {"op": "group_norm", "param_args": ["weight", "bias"]}, lambda: nn.GroupNorm(2, 4),
          [fl(2, 4, 3)]),
        M("InstanceNorm1d", {"op": "instance_norm"}, lambda: nn.InstanceNorm1d(3), [fl(2, 3, 4)]),
        M("InstanceNorm2d", {"op": "instance_norm"}, lambda: nn.InstanceNorm2d(3), [fl(2, 3, 2, 2)]),
        M("InstanceNorm3d", {"op": "instance_norm"}, lambda: nn.InstanceNorm3d(3), [fl(2, 3, 2, 2, 2)]),
        M("RMSNorm", {"op": "rms_norm", "param_args": ["weight"]}, lambda: nn.RMSNorm(3), [a]),
        M("Dropout", {"op": "dropout", "inplace_arg": "inplace", "mode_arg": "training"},
          lambda **k: nn.Dropout(0.5, **k), [fl(4, 4)]),
        M("Dropout1d", {"op": "dropout", "inplace_arg": "inplace", "mode_arg": "training"},
          lambda **k: nn.Dropout1d(0.5, **k), [fl(2, 3, 4)]),
        M("Dropout2d", {"op": "dropout", "inplace_arg": "inplace", "mode_arg": "training"},
          lambda **k: nn.Dropout2d(0.5, **k), [fl(2, 3, 4, 4)]),
        M("Dropout3d", {"op": "dropout", "inplace_arg": "inplace", "mode_arg": "training"},
          lambda **k: nn.Dropout3d(0.5, **k), [fl(2, 3, 2, 2, 2)]),
        M("Embedding", {"op": "embedding", "param_args": ["weight"]}, lambda: nn.Embedding(3, 4),
          [const(lambda: torch.tensor([[0, 2], [1, 0]]))]),
        M("Flatten", {"op": "flatten"}, lambda: nn.Flatten(), [fl(2, 3, 2)]),
        M("Unflatten", {"op": "unflatten"}, lambda: nn.Unflatten(1, (2, 3)), [fl(2, 6)]),
        M("MaxPool1d", {"op": "max_pool1d"}, lambda: nn.MaxPool1d(2), [fl(1, 1, 4)]),
        M("MaxPool2d", {"op": "max_pool2d"}, lambda: nn.MaxPool2d(2), [fl(1, 1, 4, 4)]),
        M("AvgPool1d", {"op": "avg_pool1d"}, lambda: nn.AvgPool1d(2), [fl(1, 1, 4)]),
        M("AvgPool2d", {"op": "avg_pool2d"}, lambda: nn.AvgPool2d(2), [fl(1, 1, 4, 4)]),
        M("AdaptiveAvgPool2d", {"op": "adaptive_avg_pool2d"}, lambda: nn.AdaptiveAvgPool2d(2), [fl(1, 1, 4, 4)]),
        M("AdaptiveMaxPool2d", {"op": "adaptive_max_pool2d"}, lambda: nn.AdaptiveMaxPool2d(2), [fl(1, 1, 4, 4)]),
        M("Upsample", {"op": "interpolate"}, lambda: nn.Upsample(scale_factor=2.0), [fl(1, 1, 2, 2)],
          {}, {"mode": "absent"}),
        M("ZeroPad2d", {"op": "pad"}, lambda: nn.ZeroPad2d(1), [fl(1, 1, 2, 2)]),
        M("MSELoss", {"op": "mse_loss"}, lambda: nn.MSELoss(), [a, fl(2, 3)]),
        M("L1Loss", {"op": "l1_loss"}, lambda: nn.L1Loss(), [a, fl(2, 3)]),
        M("SmoothL1Loss", {"op": "smooth_l1_loss"}, lambda: nn.SmoothL1Loss(), [a, fl(2, 3)]),
        M("HuberLoss", {"op": "huber_loss"}, lambda: nn.HuberLoss(), [a, fl(2, 3)]),
        M("CrossEntropyLoss", {"op": "cross_entropy"}, lambda: nn.CrossEntropyLoss(), [fl(2, 3), lng(2, high=3)]),
        M("NLLLoss", {"op": "nll_loss"}, lambda: nn.NLLLoss(),
          [Tn(lambda: torch.randn(2, 3).log_softmax(1)), lng(2, high=3)]),
        M("BCELoss", {"op": "binary_cross_entropy"}, lambda: nn.BCELoss(), [prob(2, 3), prob(2, 3)]),
        M("BCEWithLogitsLoss", {"op": "binary_cross_entropy_with_logits"}, lambda: nn.BCEWithLogitsLoss(),
          [a, prob(2, 3)]),
        M("KLDivLoss", {"op": "kl_div"}, lambda: nn.KLDivLoss(reduction="batchmean"),
          [Tn(lambda: torch.randn(2, 3).log_softmax(1)), prob(2, 3)]),
        M("SoftMarginLoss", {"op": "soft_margin_loss"}, lambda: nn.SoftMarginLoss(),
          [a, Tn(lambda: torch.tensor([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]]), grad=False)]),
        M("CosineSimilarity", {"op": "cosine_similarity"}, lambda: nn.CosineSimilarity(), [a, fl(2, 3)]),
        M("PairwiseDistance", {"op": "pairwise_distance"}, lambda: nn.PairwiseDistance(), [a, fl(2, 3)]),
        M("Identity", {"op": None, "identity": True}),
        M("Sequential", {"container": "sequential"}),
        M("ModuleList", {"container": "list"}),
        M("ModuleDict", {"container": "dict"}),
    ]
    return out


def breaks_backward(loss: torch.Tensor, victim: torch.Tensor, problems: list[str], label: str) -> bool:
    """Bump `victim` in place, then backward through `loss`: did torch find a saved tensor changed?"""
    bump(victim)
    try:
        loss.backward()
    except RuntimeError as e:
        if INPLACE_ERR in str(e):
            return True
        problems.append(f"{label}: {str(e).splitlines()[0]}")
    return False


def measure_module(ms: ModSpec, kwargs: dict[str, Any], inplace: bool, problems: list[str]) -> dict[str, Any]:
    """Facts of a module's forward with every parameter and every float input requiring grad."""

    def fresh():
        torch.manual_seed(0)
        m = ms.make(**kwargs)
        m.train()
        ins = []
        for i, t in enumerate(ms.inputs):
            x = t.make()
            if t.grad:
                x.requires_grad_()
                if inplace and i == 0:
                    x = x.clone()
            ins.append(x)
        return m, ins

    def saved(target) -> bool:
        m, ins = fresh()
        out = m(*ins)
        res = ins[0] if inplace else out
        s = res.sum()
        if target == RESULT:
            victim = res
        elif isinstance(target, int):
            victim = ins[target]
        else:
            victim = getattr(m, target)
        return breaks_backward(s, victim, problems, f"module {ms.cls}")

    m, ins = fresh()
    out = m(*ins)
    res = ins[0] if inplace else out
    facts = {
        "grad_fn": type(res.grad_fn).__name__ if res.grad_fn is not None else None,
        "inputs": [saved(i) for i in range(len(ms.inputs))],
        "result": saved(RESULT),
        "params": {p: saved(p) for p in ms.entry.get("param_args", [])},
    }
    return facts


def expected_from_op(ms: ModSpec, fact: dict[str, Any], n_inputs: int) -> dict[str, Any]:
    # The module's forward args map onto the op's params in order, skipping the ones the module owns.
    owned = set(ms.entry.get("param_args", []))
    fwd = [p for p in fact["params"] if p not in owned][:n_inputs]
    return {
        "grad_fn": fact["grad_fn"],
        "inputs": [bool(fact["saves"].get(p)) for p in fwd],
        "result": bool(fact["saves_result"]),
        "params": {p: bool(fact["saves"].get(p)) for p in ms.entry.get("param_args", [])},
    }, fwd


def pick_variant(entry: dict[str, Any], when: dict[str, str]) -> dict[str, Any]:
    for f in entry["variants"]:
        if f.get("when", {}) == when:
            return f
    raise KeyError(when)


# Recurrent modules have no single op that stands for them: their forward is measured directly. `outputs` is the
# shape of what forward returns (index of each tensor; a nested list is a tuple), `saves_outputs[i]` whether
# changing output i in place breaks backward, `saves_input` the same for the input sequence. The default
# configuration is measured with one and two layers, batch-first or not, and a tensor counts as saved only if it is
# in all of them (batch_first transposes the input into a copy, which is what gets saved); bidirectional apart.
RECURRENT_SPECS: list[tuple[str, Callable[..., nn.Module], Callable[[], torch.Tensor], list]] = [
    ("LSTM", lambda **k: nn.LSTM(3, 4, **k), lambda: torch.randn(5, 2, 3), [0, [1, 2]]),
    ("GRU", lambda **k: nn.GRU(3, 4, **k), lambda: torch.randn(5, 2, 3), [0, 1]),
    ("RNN", lambda **k: nn.RNN(3, 4, **k), lambda: torch.randn(5, 2, 3), [0, 1]),
    ("LSTMCell", lambda **k: nn.LSTMCell(3, 4, **k), lambda: torch.randn(2, 3), [0, 1]),
    ("GRUCell", lambda **k: nn.GRUCell(3, 4, **k), lambda: torch.randn(2, 3), 0),
    ("RNNCell", lambda **k: nn.RNNCell(3, 4, **k), lambda: torch.randn(2, 3), 0),
]
RECURRENT_DEFAULT_CONFIGS = [{}, {"num_layers": 2}, {"batch_first": True}]


def flat_outputs(out) -> list[torch.Tensor]:
    if isinstance(out, torch.Tensor):
        return [out]
    return [t for item in out for t in flat_outputs(item)]


def measure_recurrent(make, make_input, kwargs: dict[str, Any], problems: list[str], cls: str) -> dict[str, Any]:
    def saved(target) -> bool:
        torch.manual_seed(0)
        m = make(**kwargs)
        x = make_input().requires_grad_().clone()
        outs = flat_outputs(m(x))
        loss = sum(o.sum() for o in outs)
        return breaks_backward(loss, x if target is None else outs[target], problems, f"module {cls}{kwargs}")

    torch.manual_seed(0)
    n = len(flat_outputs(make(**kwargs)(make_input())))
    return {"saves_input": saved(None), "saves_outputs": [saved(i) for i in range(n)]}


def generate_recurrent(problems: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for cls, make, make_input, outputs in RECURRENT_SPECS:
        cell = cls.endswith("Cell")
        configs = [{}] if cell else RECURRENT_DEFAULT_CONFIGS
        measured = [measure_recurrent(make, make_input, k, problems, cls) for k in configs]
        if any(m["saves_outputs"] != measured[0]["saves_outputs"] for m in measured[1:]):
            problems.append(f"module {cls}: layers/batch_first change which outputs forward saves: {measured}")
        entry: dict[str, Any] = {"op": None, "recurrent": True, "outputs": outputs,
                                 "saves_input": all(m["saves_input"] for m in measured),
                                 "saves_outputs": [all(m["saves_outputs"][i] for m in measured)
                                                   for i in range(len(measured[0]["saves_outputs"]))]}
        if not cell:
            bi = measure_recurrent(make, make_input, {"bidirectional": True}, problems, cls)
            entry["bidirectional"] = bi
        result[cls] = entry
    return result


def generate_modules(ops: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = generate_recurrent(problems)
    for ms in module_specs():
        entry = dict(ms.entry)
        if ms.make is None or entry.get("op") is None:
            result[ms.cls] = entry
            continue
        if not hasattr(nn, ms.cls):
            problems.append(f"module {ms.cls}: not in this torch")
            continue
        opname = entry["op"]
        if opname not in ops:
            problems.append(f"module {ms.cls}: op {opname} has no facts")
            continue
        checks = [({}, False, ms.when)]
        if "inplace_arg" in entry:
            checks.append(({entry["inplace_arg"]: True}, True, {"inplace": "true"}))
        ok = True
        fwd: list[str] = []
        for kwargs, inplace, when in checks:
            fact = pick_variant(ops[opname], when)
            got = measure_module(ms, kwargs, inplace, problems)
            want, fwd = expected_from_op(ms, fact, len(ms.inputs))
            if got != want:
                ok = False
                problems.append(f"module {ms.cls}{kwargs}: forward {got} but {opname} {when} says {want}")
        entry["args"] = fwd
        entry["verified"] = ok
        result[ms.cls] = entry
    return result


# ----------------------------------------------------------------------------------------------


def dump(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, indent=1) + "\n"


def generate(out_dir: Path, verbose: bool = False) -> list[str]:
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    problems: list[str] = []
    ops = generate_ops(problems)
    modules = generate_modules(ops, problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "torch_ops.json").write_text(dump({"torch_version": torch.__version__, "ops": ops}))
    (out_dir / "nn_modules.json").write_text(dump(modules))
    if verbose:
        n = sum(len(e["variants"]) for e in ops.values())
        print(f"{len(ops)} ops, {n} variants, {len(modules)} modules", file=sys.stderr)
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if the committed tables differ from what torch says now")
    ap.add_argument("--strict", action="store_true", help="exit 1 if anything was reported")
    ap.add_argument("-v", "--verbose", action="store_true")
    ns = ap.parse_args(argv)
    if ns.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            problems = generate(Path(tmp), ns.verbose)
            stale = [n for n in ("torch_ops.json", "nn_modules.json")
                     if not (ns.out_dir / n).exists()
                     or (Path(tmp) / n).read_text() != (ns.out_dir / n).read_text()]
    else:
        problems = generate(ns.out_dir, ns.verbose)
        stale = []
    for p in problems:
        print("note:", p, file=sys.stderr)
    for n in stale:
        print(f"stale: {ns.out_dir / n} differs from torch {torch.__version__}; rerun tools/gen_facts.py",
              file=sys.stderr)
    return 1 if stale or (ns.strict and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
