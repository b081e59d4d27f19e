"""What torch does with each op, as data: which tensors it saves for backward, which results are views.

The facts come from ``data/torch_ops.json`` and ``data/nn_modules.json``, written by
``tools/gen_facts.py``, which measured them by running torch (bump a tensor's version after the op,
see whether backward complains).  This module is pure Python and never imports torch.

Argument kinds (values of ``arg_kinds`` and of a variant's ``when``):

``"tensor"``            a tensor (``"contiguous"`` / ``"noncontiguous"`` when that is known)
``"number"``            a Python number (``"true"`` / ``"false"`` for the bool literals)
``"basic"``/``"advanced"``  a subscript index: ints/slices/None/Ellipsis vs. tensors/lists/masks
``"present"``           passed, kind not known
``"absent"``            not passed (an absent key in ``arg_kinds`` means the same)
``"unknown"``           not known whether or what was passed
``"=replicate"``        a constant string (``F.pad(x, p, mode="replicate")``): a variant's ``when`` that names one
                        matches that string alone; any other ``when`` takes it as ``"unknown"``

For an in-place op (``inplace=True``) the result *is* params[0], so ``saves[params[0]]`` equals
``saves_result``: both say whether changing that tensor again later breaks backward.  Whatever the op
needed of params[0]'s old value, torch cloned (e.g. ``x.abs_()`` keeps ``_saved_self`` yet a later
``x.add_(1)`` is harmless), and the table records the behaviour, not the attribute.

When an unknown kind lets several variants match, :func:`op` merges them conservatively: a tensor
counts as saved only if every candidate saves it, a result is a view only if every candidate says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

__all__ = ["OpFact", "op", "params", "operator_op", "module", "known_op_names", "torch_version"]

_DATA = Path(__file__).resolve().parent / "data"
FORMS = frozenset({"torch", "method", "functional", "operator", "linalg", "fft", "special", "sparse"})
_TENSOR_KINDS = frozenset({"tensor", "contiguous", "noncontiguous"})


@dataclass(frozen=True)
class OpFact:
    name: str
    params: tuple[str, ...]
    saves: dict[str, tuple[str, ...]]  # tensor param -> params whose requiring grad makes torch save it
    saves_result: tuple[str, ...]  # the result is saved when any of these requires grad
    frees_saved: bool  # a second backward without retain_graph raises
    view: bool  # the result is a view of params[0]
    multi_output_view: bool  # outputs are views that must not be changed in place (unbind/split/chunk)
    inplace: bool  # changes params[0] in place; the "result" is params[0]
    grad_fn: str | None
    inplace_twin: str | None
    # beyond the engine's required API (all defaulted):
    aliases: bool = False  # changing the result in place bumps params[0]'s version (views, detach, ...)
    saves_outputs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # other outputs, by index
    differentiable: bool = True
    outputs: int = 1  # how many tensors the op returns (a tuple when more than one)
    outputs_without_grad: tuple[int, ...] = ()  # which of them never require grad (an info code, pivots)

    def saved(self, param: str, requiring_grad: Iterable[str] | None = None) -> bool:
        """Is `param` saved when the params in `requiring_grad` require grad (None: any might)."""
        qs = self.saves.get(param, ())
        return bool(qs) if requiring_grad is None else any(q in qs for q in requiring_grad)

    def result_saved(self, requiring_grad: Iterable[str] | None = None) -> bool:
        qs = self.saves_result
        return bool(qs) if requiring_grad is None else any(q in qs for q in requiring_grad)


@lru_cache(maxsize=None)
def _ops_table() -> dict[str, Any]:
    with open(_DATA / "torch_ops.json", encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=None)
def _modules_table() -> dict[str, Any]:
    with open(_DATA / "nn_modules.json", encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=None)
def _operators() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, entry in _ops_table()["ops"].items():
        for form in entry["forms"]:
            if form.startswith("operator:"):
                table.setdefault(form.split(":", 1)[1], name)
    return table


def torch_version() -> str:
    return _ops_table()["torch_version"]


def known_op_names() -> frozenset[str]:
    return frozenset(_ops_table()["ops"])


def params(name: str) -> tuple[str, ...] | None:
    try:
        return _PARAMS[name]
    except KeyError:
        entry = _ops_table()["ops"].get(REMOVED_OPS.get(name, name))
        found = _PARAMS[name] = tuple(entry["variants"][0]["params"]) if entry else None
        return found


_PARAMS: dict = {}  # op name -> its first variant's parameter names (asked on every op the walk meets)


def returns_several(name: str) -> bool:
    """Does the op return a tuple of tensors (`torch.svd(a)`, `x.max(1)`)? Its result has no `.clone()`."""
    entry = _ops_table()["ops"].get(name)
    return name in TUPLE_OPS or entry is not None and any(v.get("outputs", 1) > 1 for v in entry["variants"])


def operator_op(symbol: str) -> str | None:
    """``"*"`` -> ``"mul"``, ``"neg"`` (unary minus) -> ``"neg"``, ``"+="`` -> ``"add_"``, ``"[]"`` -> ``"__getitem__"``."""
    return _operators().get(symbol)


def module(class_name: str) -> dict | None:
    """The facts of a torch.nn module class, shared by every caller: read them, never change them."""
    return _modules_table().get(class_name)


def is_module(class_name: str) -> bool:
    return class_name in _modules_table()


# ---- variant selection

_YES, _MAYBE = 2, 1


def _match_kind(want: str, got: str) -> int:
    """0: no, 1: maybe (the argument's kind is not known well enough), 2: yes."""
    if got == "unknown":
        return _MAYBE
    if want.startswith("="):  # a variant measured with this constant string
        return _YES if got == want else _MAYBE if got == "present" else 0
    if got.startswith("="):  # a constant string given, any other `when`: as before strings had kinds, not known
        return _MAYBE
    if want == "absent":
        return _YES if got == "absent" else 0
    if got == "absent":
        return 0
    if want == "present":
        return _YES
    if got == "present":
        return _MAYBE
    if want == "tensor":
        return _YES if got in _TENSOR_KINDS else 0
    if want in ("noncontiguous", "contiguous"):
        return _YES if got == want else (_MAYBE if got == "tensor" else 0)
    if want == "number":
        return _YES if got in ("number", "true", "false") else 0
    return _YES if got == want else 0


def _form_ok(form: str, forms: list[str]) -> bool:
    if form == "operator":
        return any(f.startswith("operator:") for f in forms)
    if form in ("linalg", "special"):  # torch.linalg.norm and torch.norm keep the same tensors for backward, and
        return form in forms or "torch" in forms  # torch.special.erfc is torch.erfc
    return form in forms


# Ops torch has removed, with the op whose facts they had (measured under that name). Hand-kept: this torch cannot
# run them. `symeig` was `linalg.eigh`'s predecessor (removed in torch 2.0; same backward, same saved outputs).
REMOVED_OPS = {"symeig": "eigh"}


def _names(primary: tuple[str, ...], vparams: list[str], arg_kinds: dict[str, str]) -> list[str]:
    """The caller's name for each of a variant's params (the caller mapped args with `primary`)."""
    out = []
    for i, name in enumerate(vparams):
        if name not in arg_kinds and i < len(primary) and primary[i] in arg_kinds and primary[i] not in vparams:
            out.append(primary[i])
        else:
            out.append(name)
    return out


def _fact(name: str, entry: dict, v: dict, names: list[str]) -> OpFact:
    rename = dict(zip(v["params"], names))

    def r(qs: Iterable[str]) -> tuple[str, ...]:
        return tuple(rename.get(q, q) for q in qs)

    return OpFact(
        name=name,
        params=tuple(names),
        saves={rename.get(p, p): r(qs) for p, qs in v["saves"].items()},
        saves_result=r(v["saves_result"]),
        frees_saved=v["frees_saved"],
        view=v["view"],
        multi_output_view=v["multi_output_view"],
        inplace=v["inplace"],
        grad_fn=v["grad_fn"],
        inplace_twin=entry["inplace_twin"],
        aliases=v.get("aliases", False),
        saves_outputs={k: r(qs) for k, qs in v.get("saves_outputs", {}).items()},
        differentiable=v.get("differentiable", True),
        outputs=v.get("outputs", 1),
        outputs_without_grad=tuple(v.get("outputs_without_grad", ())),
    )


def _intersect(seqs: list[tuple[str, ...]]) -> tuple[str, ...]:
    first = seqs[0]
    return tuple(q for q in first if all(q in s for s in seqs[1:]))


def _merge(facts: list[OpFact]) -> OpFact:
    if len(facts) == 1:
        return facts[0]
    keys: list[str] = []
    for f in facts:
        keys += [k for k in f.saves if k not in keys]
    out_keys: list[str] = []
    for f in facts:
        out_keys += [k for k in f.saves_outputs if k not in out_keys]
    grad_fns = {f.grad_fn for f in facts}
    return OpFact(
        name=facts[0].name,
        params=facts[0].params,
        saves={k: _intersect([f.saves.get(k, ()) for f in facts]) for k in keys},
        saves_result=_intersect([f.saves_result for f in facts]),
        frees_saved=all(f.frees_saved for f in facts),
        view=all(f.view for f in facts),
        multi_output_view=all(f.multi_output_view for f in facts),
        inplace=all(f.inplace for f in facts),
        grad_fn=grad_fns.pop() if len(grad_fns) == 1 else None,
        inplace_twin=facts[0].inplace_twin,
        aliases=all(f.aliases for f in facts),
        saves_outputs={k: _intersect([f.saves_outputs.get(k, ()) for f in facts]) for k in out_keys},
        differentiable=any(f.differentiable for f in facts),
        outputs=max(f.outputs for f in facts),
        outputs_without_grad=tuple(i for i in facts[0].outputs_without_grad
                                   if all(i in f.outputs_without_grad for f in facts)),
    )


_OP_CACHE: dict = {}


def op(name: str, form: str, arg_kinds: dict[str, str]) -> OpFact | None:
    """The facts for calling op `name` in `form` ("torch", "method", "functional", "operator") with
    arguments of the given kinds (keyed by the names from :func:`params`; a missing key: not passed).

    None if torch has no such op in that form, or no variant fits the arguments. Answers are cached: the same
    few hundred (op, form, kinds) come back on every line of model code, and an OpFact is frozen."""
    key = (name, form, tuple(sorted(arg_kinds.items())))
    try:
        return _OP_CACHE[key]
    except KeyError:
        pass
    answer = _op(name, form, arg_kinds)
    if len(_OP_CACHE) < 20_000:
        _OP_CACHE[key] = answer
    return answer


def _op(name: str, form: str, arg_kinds: dict[str, str]) -> OpFact | None:
    if name in REMOVED_OPS:
        name, form = REMOVED_OPS[name], "linalg"  # `x.symeig()` / `torch.symeig(x)`: the measured successor
    entry = _ops_table()["ops"].get(name)
    if entry is None or form not in FORMS:
        return None
    primary = tuple(entry["variants"][0]["params"])
    matches: list[tuple[dict, list[str], int, bool]] = []
    for v in entry["variants"]:
        if not _form_ok(form, v.get("forms", entry["forms"])):
            continue
        names = _names(primary, v["params"], arg_kinds)
        when = v.get("when", {})
        ok, maybe = True, False
        for pname, want in when.items():
            caller = names[v["params"].index(pname)] if pname in v["params"] else pname
            m = _match_kind(want, arg_kinds.get(caller, "absent"))
            if not m:
                ok = False
                break
            maybe = maybe or m == _MAYBE
        if ok:
            matches.append((v, names, len(when), maybe))
    if not matches:
        return None
    if not any(m[3] for m in matches):
        best = max(m[2] for m in matches)  # the most specific `when` wins
        matches = [m for m in matches if m[2] == best]
    return _merge([_fact(name, entry, v, names) for v, names, _, _ in matches])


# ---------------------------------------------------------------------- hand-kept op-name tables
# What the engine knows about torch ops beyond the measured facts above: result shapes and structure, grad-mode
# switches and nn.Module API. They are typed in by hand because tools/gen_facts.py measures what autograd saves
# and which results alias their input, not these; each table says why. Add a name here, never in the engine.

# Grad-mode switches, by qualified name (`with torch.no_grad():`, `@torch.inference_mode()`). Hand-kept: they
# are Python context managers, not ops, so gen_facts has nothing to run backward through.
NO_GRAD_CONTEXTS = {
    "torch.no_grad", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad",
    "torch.inference_mode", "torch.autograd.inference_mode", "torch.autograd.grad_mode.inference_mode",
}
ENABLE_GRAD_CONTEXTS = {"torch.enable_grad", "torch.autograd.enable_grad", "torch.autograd.grad_mode.enable_grad"}
SET_GRAD_ENABLED = {"torch.set_grad_enabled", "torch.autograd.set_grad_enabled",
                    "torch.autograd.grad_mode.set_grad_enabled"}

# Functions that make a new tensor from sizes or data; the result requires grad only with `requires_grad=True`.
# Hand-kept: the engine models their shapes (analysis/shapes.py), which the generator does not record.
FACTORIES = {
    "tensor", "as_tensor", "zeros", "ones", "empty", "full", "rand", "randn", "randint", "arange", "linspace",
    "logspace", "eye", "zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like",
    "randint_like", "randperm", "from_numpy", "tril_indices", "triu_indices", "empty_strided", "normal",
    "bernoulli", "multinomial", "scalar_tensor",
}


def alike_factories(*quals: str) -> bool:
    """Are these torch factories of one signature that make a new tensor without a graph (torch.randn_like and
    torch.rand_like, torch.zeros and torch.randn): a call of either gives the same kind of tensor?"""
    names = {ALIASES.get(q, q)[len("torch."):] for q in quals if q.startswith("torch.") and q.count(".") == 1}
    return len(names) == len(set(quals)) and any(names <= family for family in ALIKE_FACTORIES)


ALIKE_FACTORIES = ({"zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"},
                   {"zeros", "ones", "empty", "rand", "randn"})


# Tensor methods that make a new tensor like the factory after `new_` (`x.new_zeros(n)`: `torch.zeros(n)` with x's
# dtype and device; it requires grad only with `requires_grad=True`, whatever `x` is).
NEW_FACTORIES = {"new_tensor", "new_zeros", "new_ones", "new_full", "new_empty"}

# Ops whose result is one element when called without `dim` (a loss one can call backward() on unaided).
# Hand-kept: output shapes are not measured by gen_facts (it could be: a follow-up).
FULL_REDUCTIONS = {"sum", "mean", "prod", "norm", "max", "min", "amax", "amin", "logsumexp", "std", "var",
                   "median", "nansum", "nanmean", "dot", "vdot", "trace", "all", "any", "count_nonzero"}

# Loss functions (their nn.functional names) that reduce to one element by default (`reduction="mean"`).
# Hand-kept for the same reason: the generator measures saves, not result shapes.
LOSSES_DEFAULT_MEAN = {
    "mse_loss", "l1_loss", "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "smooth_l1_loss", "huber_loss", "kl_div", "soft_margin_loss", "margin_ranking_loss", "hinge_embedding_loss",
    "poisson_nll_loss", "gaussian_nll_loss", "cosine_embedding_loss", "triplet_margin_loss", "ctc_loss",
    "multilabel_soft_margin_loss", "multi_margin_loss", "multilabel_margin_loss",
}

# Ops whose result has the broadcast shape of their tensor arguments. Hand-kept: shapes are not measured.
ELEMENTWISE = {
    "add", "sub", "mul", "div", "true_divide", "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "pow", "abs",
    "sin", "cos", "tan", "tanh", "sigmoid", "relu", "gelu", "silu", "elu", "leaky_relu", "clamp", "clip", "square",
    "reciprocal", "sign", "floor", "ceil", "round", "where", "masked_fill", "lerp", "addcmul", "addcdiv", "dropout",
    "softplus", "hardtanh", "relu6", "selu", "mish", "hardswish", "hardsigmoid", "logit", "erf", "clone",
    "contiguous", "float", "double", "half", "to", "type_as", "detach", "softmax", "log_softmax",
}

# Tensor methods ending in "_" that change autograd metadata, not the values: never an in-place change.
# Hand-kept: the rule that a trailing "_" means in-place is the engine's, so are its exceptions.
# In eval mode these return their input untouched (`inplace=True` included).
DROPOUT_MODULES = {"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"}
# With p=0 they return their input itself, in training mode too (`nn.Dropout(0.0)(t) is t`: checked by
# tests/test_dropout_rate.py under torch); so do their functional forms, whose `training` defaults to True.
# Parameters that hold integer (or bool) index tensors, which cannot require grad: they never make a result require
# grad, but an op may keep them for backward (advanced indexing, gather, index_select: facts measured by torch).
INDEX_PARAMS = {"index", "indices"}
DROPOUT_FUNCTIONS = {"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"}
NOT_DATA_MUTATIONS = {"requires_grad_", "share_memory_", "retain_grad", "detach_", "record_stream", "pin_memory_"}
# Ops whose result is an integer or bool tensor, which never requires grad nor carries a graph (the generator has
# no facts for them: they record nothing for backward). `idx = torch.argmin(d, 1)` cuts `d`'s graph.
INTEGER_RESULTS = frozenset({
    "argmin", "argmax", "argsort", "argwhere", "nonzero", "searchsorted", "bucketize", "one_hot", "count_nonzero",
    "bincount", "isnan", "isinf", "isfinite", "isneginf", "isposinf", "signbit", "eq", "ne", "gt", "ge", "lt", "le",
    "logical_not", "logical_and", "logical_or", "logical_xor"})
# The in-place methods of torch.Tensor (`dir(torch.Tensor)` ending in `_`, torch 2.13): `obj.fit_(...)` on an
# object the walk took for a tensor is some other class's method, not a change of tensor memory.
TENSOR_INPLACE_METHODS = frozenset({
    "abs_", "absolute_", "acos_", "acosh_", "add_", "addbmm_", "addcdiv_", "addcmul_", "addmm_", "addmv_", "addr_",
    "apply_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan2_", "arctan_", "arctanh_", "as_strided_",
    "asin_", "asinh_", "atan2_", "atan_", "atanh_", "baddbmm_", "bernoulli_", "bitwise_and_", "bitwise_left_shift_",
    "bitwise_not_", "bitwise_or_", "bitwise_right_shift_", "bitwise_xor_", "cauchy_", "ceil_", "clamp_",
    "clamp_max_", "clamp_min_", "clip_", "conj_physical_", "copy_", "copysign_", "cos_", "cosh_", "cumprod_",
    "cumsum_", "deg2rad_", "detach_", "digamma_", "div_", "divide_", "eq_", "erf_", "erfc_", "erfinv_", "exp2_",
    "exp_", "expm1_", "exponential_", "fill_", "fill_diagonal_", "fix_", "float_power_", "floor_", "floor_divide_",
    "fmod_", "frac_", "gcd_", "ge_", "geometric_", "greater_", "greater_equal_", "gt_", "heaviside_", "hypot_",
    "i0_", "igamma_", "igammac_", "index_add_", "index_copy_", "index_fill_", "index_put_", "index_reduce_", "lcm_",
    "ldexp_", "le_", "lerp_", "less_", "less_equal_", "lgamma_", "log10_", "log1p_", "log2_", "log_", "log_normal_",
    "logical_and_", "logical_not_", "logical_or_", "logical_xor_", "logit_", "lt_", "map2_", "map_", "masked_fill_",
    "masked_scatter_", "mul_", "multiply_", "mvlgamma_", "nan_to_num_", "ne_", "neg_", "negative_", "nextafter_",
    "normal_", "not_equal_", "polygamma_", "pow_", "put_", "rad2deg_", "random_", "reciprocal_", "relu_",
    "remainder_", "renorm_", "requires_grad_", "resize_", "resize_as_", "resize_as_sparse_", "round_", "rsqrt_",
    "scatter_", "scatter_add_", "scatter_reduce_", "set_", "sgn_", "share_memory_", "sigmoid_", "sign_", "sin_",
    "sinc_", "sinh_", "sparse_resize_", "sparse_resize_and_clear_", "sqrt_", "square_", "squeeze_", "sub_",
    "subtract_", "swapaxes_", "swapdims_", "t_", "tan_", "tanh_", "transpose_", "tril_", "triu_", "true_divide_",
    "trunc_", "uniform_", "unsqueeze_", "xlogy_", "zero_"
})

# Tensor methods that give something that is not a tensor (sizes, Python numbers, hooks). Hand-kept: the
# generator records tensor results only.
NON_TENSOR_METHODS = {
    "size", "dim", "ndimension", "numel", "item", "tolist", "stride", "storage_offset", "is_contiguous",
    "data_ptr", "element_size", "nelement", "get_device", "is_floating_point", "is_complex", "untyped_storage",
    "register_hook", "backward", "__len__", "equal", "allclose", "is_set_to", "has_names",
}

# torch functions and classes whose result is not a tensor (a device, a generator, a size, a dtype's limits, a
# flag or a seed): `self.device = torch.device("cuda")` is no tensor, and `net.to(device=self.device)` no tensor
# op. Hand-kept: the generator records tensor results only.
NON_TENSOR_TORCH_CALLS = {
    "device", "Generator", "Size", "finfo", "iinfo", "get_default_dtype", "is_tensor", "is_storage",
    "is_floating_point", "is_complex", "is_nonzero", "numel", "is_grad_enabled", "is_inference_mode_enabled",
    "manual_seed", "initial_seed", "seed", "typename", "get_num_threads", "set_num_threads", "set_default_dtype",
    "set_printoptions", "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
}

# Tensor attributes that are not tensors. Hand-kept: attributes are not ops, gen_facts does not visit them.
NON_TENSOR_ATTRS = {"shape", "dtype", "device", "ndim", "is_leaf", "requires_grad", "layout", "is_cuda", "names",
                    "grad_fn", "is_sparse", "itemsize", "nbytes"}

# Tensor attributes that are views of the tensor (`x.T`, `x.real`). Hand-kept: attributes are not ops.
VIEW_ATTRS = {"T", "mT", "H", "mH", "real", "imag"}

# Ops returning several tensors: their result is tracked as one opaque value. Hand-kept: gen_facts keeps
# per-output saves (`saves_outputs`) but not which ops return tuples.
TUPLE_OPS = {"topk", "sort", "max", "min", "median", "nanmedian", "mode", "kthvalue", "std_mean", "var_mean",
             "aminmax", "unique", "unique_consecutive", "frexp", "histogram", "lu", "qr", "svd", "slogdet", "eig",
             "eigh", "lstsq", "cummax", "cummin", "geqrf", "triangular_solve", "sort_stable", "batch_norm_stats"}

# Ops whose tuple result has `.values` and `.indices` fields (torch.return_types). Hand-kept as above.
VALUES_INDICES_OPS = {"topk", "sort", "max", "min", "median", "nanmedian", "mode", "kthvalue", "cummax", "cummin"}

# The fields of torch.return_types named tuples, by position (`values, indices = x.max(1)`, `L, Q = eigh(a)`,
# `torch.svd(a).V`, `torch.linalg.cholesky_ex(a).L`). One position per name over every op with facts that returns a
# tuple: `info` is left out (1 in cholesky_ex, 2 in lu_factor_ex), and `L`/`U` hold only while linalg.lu and
# lu_unpack (P, L, U) have no facts; tests/test_torch_facts.py checks this against torch. Hand-kept: gen_facts
# measures saves, not field names.
RETURN_TYPE_FIELDS = {"values": 0, "indices": 1, "eigenvalues": 0, "eigenvectors": 1, "U": 0, "S": 1, "V": 2, "Vh": 2,
                      "Q": 0, "R": 1, "L": 0, "LU": 0, "pivots": 1, "inverse": 0, "result": 0, "sign": 0,
                      "logabsdet": 1, "solution": 0, "residuals": 1, "rank": 2, "singular_values": 3, "min": 0,
                      "max": 1}

# nn.Module classes without measured facts (recurrent and attention layers): their output requires grad and their
# graph keeps tensors for backward. Hand-kept: data/nn_modules.json has no single op that stands for them.
RECURRENT_MODULES = {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer",
                     "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer", "TransformerDecoderLayer"}

# nn.Module methods that return the module itself (`model.train().to(device)`). Hand-kept: Python-level
# nn.Module API, nothing for autograd to measure.
MODULE_PASSTHROUGH = {"train", "eval", "to", "cuda", "cpu", "float", "double", "half", "bfloat16", "requires_grad_",
                      "apply", "type"}

# Functions that take a module and return the same module, reparametrised (its weight is recomputed from new
# parameters on every call, so what its forward saves is unchanged). Hand-kept: Python-level nn.Module API.
MODULE_WRAPPERS = {
    "torch.nn.utils.weight_norm", "torch.nn.utils.spectral_norm", "torch.nn.utils.parametrizations.weight_norm",
    "torch.nn.utils.parametrizations.spectral_norm", "torch.nn.utils.parametrizations.orthogonal",
    "torch.nn.utils.parametrize.register_parametrization",
    # Wrappers whose forward runs the module's own (DistributedDataParallel always; DataParallel on one device or
    # none, where it calls `self.module(...)` directly): what the module saves, the wrapper's call saves.
    "torch.nn.DataParallel", "torch.nn.parallel.DataParallel", "torch.nn.parallel.data_parallel.DataParallel",
    "torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.distributed.DistributedDataParallel",
}

# Activation registries of model libraries (`ACT2FN["gelu"]`, `get_activation("relu")`, `create_act_layer("silu")`)
# map these names to a module that does what the torch.nn class does. Hand-kept: the registries are library code;
# only the common names whose module is plainly the torch one are listed.
ACTIVATION_NAMES = {
    "relu": "ReLU", "relu6": "ReLU6", "sigmoid": "Sigmoid", "tanh": "Tanh", "gelu": "GELU", "silu": "SiLU",
    "swish": "SiLU", "elu": "ELU", "selu": "SELU", "celu": "CELU", "leaky_relu": "LeakyReLU", "mish": "Mish",
    "softplus": "Softplus", "hardswish": "Hardswish", "hard_swish": "Hardswish", "hardsigmoid": "Hardsigmoid",
    "hard_sigmoid": "Hardsigmoid", "softsign": "Softsign",
}

# nn.Module methods with no effect the analysis tracks. Hand-kept for the same reason.
MODULE_NOOPS = {"zero_grad", "register_buffer", "register_parameter", "add_module", "load_state_dict"}

# In-place methods whose out-of-place form is the name without the trailing "_" (`clamp_` -> `clamp`), for the
# fixes. Hand-kept for the methods gen_facts does not run (the measured table names an op's in-place twin where it
# has one; this covers the rest).
OUT_OF_PLACE_BASES = {
    "add", "sub", "mul", "div", "clamp", "clamp_min", "clamp_max", "masked_fill", "masked_scatter", "index_put",
    "index_add", "index_fill", "index_copy", "scatter", "scatter_add", "exp", "log", "sigmoid",
    "tanh", "relu", "abs", "neg", "pow", "sqrt", "addcmul", "addcdiv", "lerp", "clip", "floor", "ceil", "round",
    "sin", "cos", "reciprocal", "square", "t", "transpose", "squeeze", "unsqueeze", "nan_to_num", "logit",
    "true_divide", "sign", "hardtanh", "leaky_relu", "elu", "threshold", "fmod", "remainder", "bernoulli", "addmm",
    "baddbmm", "addmv", "addbmm", "log1p", "expm1", "rsqrt", "erf", "tril", "triu",
}

# In-place methods that write one value to every element they pick: torch allows them on an `expand()`ed tensor
# that does not require grad (or under no_grad); `masked_fill_`/`index_fill_` only warn that this is deprecated
# (torch 2.13). With grad on, the backward write through the expanded layout raises, as for `fill_`.
# Hand-kept: gen_facts does not measure expanded layouts.
FILLS = {"fill_", "zero_", "masked_fill_", "index_fill_"}
# In-place methods that change only a tensor's sizes and strides, writing no element: torch allows them on an
# `expand()`ed tensor (autograd still counts them as changes). Hand-kept, like FILLS.
RESTRIDES = {"unsqueeze_", "squeeze_", "t_", "transpose_", "swapdims_", "swapaxes_", "as_strided_"}

# Gradient checkpointing: runs a function without keeping what its ops save, and keeps its tensor inputs to run it
# again at backward(). Hand-kept: a Python-level wrapper, not an op gen_facts can run; the `torch raises` of
# tests/trace/programs/bad_checkpoint_*.py measures it (both the reentrant and the non-reentrant form).
CHECKPOINTS = {"torch.utils.checkpoint.checkpoint"}
CHECKPOINT_OPTIONS = {"use_reentrant", "preserve_rng_state", "context_fn", "determinism_check", "debug"}

# Gradient checks: `gradcheck(fn, inputs)` calls `fn(*inputs)` with grad mode as it is, then computes gradients of
# its outputs with autograd.grad (unless `check_backward_ad=False`): what `fn` changes in place after an op saved it
# breaks that backward. Hand-kept: Python-level functions; bad_gradcheck_*.py in GG201's examples measures it.
GRADCHECKS = {"torch.autograd.gradcheck", "torch.autograd.gradgradcheck", "torch.autograd.gradcheck.gradcheck",
              "torch.autograd.gradcheck.gradgradcheck"}
# torch.autograd.functional: calls `func(*inputs)` under enable_grad with the inputs made tensors that require grad
# (whatever they were), then computes gradients (vjp/jacobian by autograd.grad; jvp and hvp by the double-backward
# trick). Measured in bad_jacobian_*.py; `strategy="forward-mode"` (jacobian's, hessian's outer one) is not.
DIFFERENTIATING_FUNCTIONS = {f"torch.autograd.functional.{name}" for name in
                             ("jacobian", "hessian", "vjp", "jvp", "hvp", "vhp")}

# Base classes of a custom autograd function (`class Square(torch.autograd.Function)`). Hand-kept: Python API.
AUTOGRAD_FUNCTIONS = {"Function", "torch.autograd.Function", "torch.autograd.function.Function", "InplaceFunction",
                      "torch.autograd.function.InplaceFunction"}

# Other names of the same op: what they compute, and their backward node, is the op's (measured: the result's
# grad_fn is the same class, e.g. `torch.special.expit(x).grad_fn` is a SigmoidBackward0). Hand-kept: gen_facts
# measures ops by their torch name.
ALIASES = {"torch.special.expit": "torch.sigmoid", "torch.special.psi": "torch.special.digamma",
           "torch.special.gammaln": "torch.lgamma"}

# torch.nn containers under another package's name: OpenMMLab's `ModuleList`, `Sequential` and `ModuleDict`
# (mmcv.runner.base_module, mmengine.model.base_module) subclass BaseModule and the torch.nn class of the same name,
# adding only an `init_cfg` keyword; what they hold and run is the torch class's. Hand-kept: read from mmcv's and
# mmengine's source (`class ModuleList(BaseModule, nn.ModuleList)`), which gradguard does not import.
NN_CLASS_ALIASES = {
    f"{package}.{name}": name
    for package in ("mmcv.runner", "mmcv.runner.base_module", "mmengine.model", "mmengine.model.base_module")
    for name in ("ModuleList", "Sequential", "ModuleDict")
}

# OpenMMLab's `ConvModule` (mmcv.cnn.bricks.conv_module), as data. Hand-kept: read from mmcv's source (1.x and 2.x:
# mmcv/cnn/bricks/conv_module.py, activation.py, and the conv/norm registries in docs/cnn.md), which gradguard never
# imports. `ConvModule(in, out, k, ..., conv_cfg=None, norm_cfg=None, act_cfg=dict(type='ReLU'), inplace=True, ...,
# order=('conv', 'norm', 'act'))` builds `conv = build_conv_layer(conv_cfg, ...)`, a norm only when norm_cfg is not
# None, an activation only when act_cfg is not None (given `inplace` unless act_cfg names it or its type is one of
# MMCV_ACTIVATIONS_WITHOUT_INPLACE), and its `forward(x, activate=True, norm=True)` runs them in `order`: with the
# defaults it is `nn.Sequential(conv, norm, act)`.
MMCV_CONV_MODULES = {"mmcv.cnn.ConvModule", "mmcv.cnn.bricks.ConvModule", "mmcv.cnn.bricks.conv_module.ConvModule"}
MMCV_CONV_MODULE_KIND = "ConvModule"  # the kind of the ModuleVal standing for one (not a torch.nn class)
MMCV_CONV_MODULE_PARAMS = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
                           "bias", "conv_cfg", "norm_cfg", "act_cfg", "inplace", "with_spectral_norm",
                           "padding_mode", "order")
MMCV_CONV_MODULE_ORDER = ("conv", "norm", "act")
# `type` of a cfg -> the torch.nn class mmcv's registry builds for it (only those whose torch class has facts)
MMCV_CONVS = {"Conv": "Conv2d", "Conv1d": "Conv1d", "Conv2d": "Conv2d", "Conv3d": "Conv3d"}
MMCV_NORMS = {"BN": "BatchNorm2d", "BN1d": "BatchNorm1d", "BN2d": "BatchNorm2d", "BN3d": "BatchNorm3d",
              "GN": "GroupNorm", "LN": "LayerNorm", "IN": "InstanceNorm2d", "IN1d": "InstanceNorm1d",
              "IN2d": "InstanceNorm2d"}
MMCV_ACTIVATIONS = {name: name for name in ("ReLU", "LeakyReLU", "PReLU", "ReLU6", "ELU", "Sigmoid", "Tanh", "GELU")}
MMCV_ACTIVATIONS_WITHOUT_INPLACE = {"Tanh", "PReLU", "Sigmoid", "HSigmoid", "Swish", "GELU"}
# `build_activation_layer(cfg)` (mmcv/cnn/bricks/activation.py, 1.x and 2.x): the registry builds the class the cfg's
# `type` names with the cfg's other keys as its arguments, and nothing else (no `inplace` of its own: nn.ReLU's
# default, False, unless the cfg says; ConvModule is what sets it)
MMCV_ACTIVATION_BUILDERS = {f"{package}.build_activation_layer"
                            for package in ("mmcv.cnn", "mmcv.cnn.bricks", "mmcv.cnn.bricks.activation")}
# `build_norm_layer(cfg, num_features, postfix='')` (mmcv/cnn/bricks/norm.py): (name, layer), the layer the cfg's
# `type` names built with `num_features` and the cfg's other keys, the name its class's abbreviation (infer_abbr:
# InstanceNorm 'in', BatchNorm 'bn', GroupNorm 'gn', LayerNorm 'ln') followed by str(postfix): `self.bn1`
MMCV_NORM_BUILDERS = {f"{package}.build_norm_layer" for package in ("mmcv.cnn", "mmcv.cnn.bricks", "mmcv.cnn.bricks.norm")}
MMCV_NORM_ABBREVIATIONS = {"BatchNorm1d": "bn", "BatchNorm2d": "bn", "BatchNorm3d": "bn", "GroupNorm": "gn",
                           "LayerNorm": "ln", "InstanceNorm1d": "in", "InstanceNorm2d": "in"}

# NNI's `LayerChoice` (neural architecture search), as data. Hand-kept: read from nni's source (nni/nas/pytorch/
# mutables.py before 2.x, nni/retiarii/nn/pytorch/api.py in 2.x, nni/nas/nn/pytorch/choice.py in 3.x), which gradguard
# never imports. `LayerChoice(candidates)` takes a list of modules or a dict (OrderedDict) of name -> module; when the
# model runs, the search strategy (a sampled or fixed architecture) runs ONE candidate on the input and returns its
# output (`reduction` applies only when several are chosen, `return_mask=True` returns a pair). A differentiable
# strategy (DARTS) mixes every candidate's output instead, so what holds of a candidate holds when that one is chosen.
NNI_LAYER_CHOICES = {"nni.nas.pytorch.mutables.LayerChoice", "nni.retiarii.nn.pytorch.LayerChoice",
                     "nni.retiarii.nn.pytorch.api.LayerChoice", "nni.nas.nn.pytorch.LayerChoice",
                     "nni.nas.nn.pytorch.choice.LayerChoice"}
NNI_LAYER_CHOICE_KIND = "LayerChoice"  # the kind of the ModuleVal standing for one (not a torch.nn class)
NNI_LAYER_CHOICE_CANDIDATES = ("candidates", "op_candidates")  # the first parameter's names (3.x/2.x, 1.x)
