"""The op facts: still what torch says (drift), spot claims through gradguard.facts, and no torch import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gradguard import facts

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "server" / "gradguard" / "data"
GEN = ROOT / "tools" / "gen_facts.py"


def _fact(name, form="torch", **kinds):
    f = facts.op(name, form, kinds)
    assert f is not None, (name, form, kinds)
    return f


# ---- (1) drift: regenerate under the installed torch and compare with the committed tables


def test_committed_tables_are_what_torch_says(tmp_path):
    torch = pytest.importorskip("torch")
    committed = json.loads((DATA / "torch_ops.json").read_text())
    if committed["torch_version"] != torch.__version__:
        pytest.skip(f"tables are for torch {committed['torch_version']}, installed {torch.__version__}")
    proc = subprocess.run([sys.executable, str(GEN), "--out-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in ("torch_ops.json", "nn_modules.json"):
        fresh = (tmp_path / name).read_text()
        assert fresh == (DATA / name).read_text(), f"{name} is stale: rerun python tools/gen_facts.py"
    assert "verified\": false" not in (tmp_path / "nn_modules.json").read_text()


def test_table_covers_enough_variants():
    table = json.loads((DATA / "torch_ops.json").read_text())
    assert sum(len(e["variants"]) for e in table["ops"].values()) >= 150


# ---- (2) spot checks: real claims about torch, read back through the engine's API


@pytest.mark.parametrize("name", ["sigmoid", "exp", "tanh"])
def test_result_only_ops_save_their_result_not_their_input(name):
    f = _fact(name, "torch", input="tensor")
    assert f.saves == {"input": ()}
    assert f.saves_result == ("input",)
    assert f.frees_saved


def test_relu_saves_its_result():
    f = _fact("relu", "functional", input="tensor")
    assert f.saves_result == ("input",) and f.saves["input"] == ()
    assert not f.inplace and f.inplace_twin == "relu_"


def test_inplace_relu_forms_save_the_changed_tensor():
    for f in (_fact("relu", "functional", input="tensor", inplace="true"), _fact("relu_", "method", input="tensor")):
        assert f.inplace and f.saves_result == ("input",)
    # sigmoid_ saves its result, which is y itself: a later y.add_(...) breaks backward
    assert _fact("sigmoid_", "method", input="tensor").saves_result == ("input",)


def test_mul_by_a_tensor_saves_the_other_factor():
    f = _fact("mul", "operator", input="tensor", other="tensor")
    assert f.saves == {"input": ("other",), "other": ("input",)}
    assert f.saved("other", ["input"]) and not f.saved("other", ["other"])


def test_mul_by_a_number_saves_nothing():
    f = _fact("mul", "operator", input="tensor", other="number")
    assert f.saves == {"input": ()} and f.saves_result == ()
    assert _fact("mul", "operator", input="number", other="tensor").saves == {"other": ()}


def test_linear_saves_input_when_weight_requires_grad():
    f = _fact("linear", "functional", input="tensor", weight="tensor", bias="tensor")
    assert f.saves["input"] == ("weight",)
    assert f.saves["weight"] == ("input",)
    assert f.saves["bias"] == ()


def test_max_all_vs_max_dim():
    whole = _fact("max", "method", input="tensor")
    along = _fact("max", "method", input="tensor", dim="number")
    assert whole.grad_fn == "MaxBackward1" and along.grad_fn == "MaxBackward0"
    assert whole.saves["input"] == ("input",) and whole.saves_result == ("input",)
    assert along.saves["input"] == () and along.saves_result == ()
    assert along.saves_outputs == {"1": ("input",)}  # the indices output is what max(dim) keeps
    binary = _fact("max", "torch", input="tensor", dim="tensor")  # torch.max(a, b): positional 2nd arg
    assert binary.grad_fn == "MaximumBackward0" and binary.saves["dim"] == ("input", "dim")


def test_pow_depends_on_which_side_is_the_tensor():
    sq = _fact("pow", "operator", input="tensor", exponent="number")
    assert sq.saves == {"input": ("input",)} and sq.saves_result == ()
    base2 = _fact("pow", "operator", input="number", exponent="tensor")
    assert base2.saves == {"exponent": ("exponent",)} and base2.saves_result == ("exponent",)
    both = _fact("pow", "torch", input="tensor", exponent="tensor")
    assert both.saves_result == ("input", "exponent")


@pytest.mark.parametrize("name", ["unbind", "split", "chunk"])
def test_multi_output_views(name):
    kinds = {"input": "tensor"} if name == "unbind" else {"input": "tensor", params_1(name): "number"}
    f = _fact(name, "method", **kinds)
    assert f.multi_output_view and f.view


def params_1(name):
    return facts.params(name)[1]


@pytest.mark.parametrize("name", ["view", "transpose", "narrow", "t", "permute", "expand", "select"])
def test_views(name):
    f = _fact(name, "method", **{p: ("tensor" if i == 0 else "number") for i, p in enumerate(facts.params(name))})
    assert f.view and f.aliases and not f.multi_output_view and f.saves["input"] == ()


def test_detach_is_no_view_but_shares_the_version_counter():
    f = _fact("detach", "method", input="tensor")
    assert not f.view and f.aliases and not f.differentiable


def test_subscripts():
    basic = _fact("__getitem__", "operator", input="tensor", index="basic")
    adv = _fact("__getitem__", "operator", input="tensor", index="advanced")
    assert basic.view and not adv.view
    assert adv.saves["index"] == ("input",)


# ---- facts.py behaviour


def test_unknown_kinds_merge_conservatively():
    f = _fact("mul", "operator", input="tensor", other="unknown")
    assert f.saves == {"input": (), "other": ()}
    r = _fact("relu", "functional", input="tensor", inplace="unknown")
    assert not r.inplace and r.saves_result == ("input",)


def test_forms_and_lookup():
    assert facts.op("linear", "method", {"input": "tensor"}) is None  # there is no Tensor.linear
    assert facts.op("no_such_op", "torch", {}) is None
    assert facts.op("mul", "bogus", {}) is None
    assert facts.operator_op("*") == "mul" and facts.operator_op("neg") == "neg"
    assert facts.operator_op("@") == "matmul" and facts.operator_op("**") == "pow"
    assert facts.operator_op("+=") == "add_" and facts.operator_op("[]") == "__getitem__"
    assert facts.operator_op("%%") is None
    assert facts.params("conv2d")[:3] == ("input", "weight", "bias")
    assert facts.params("nope") is None
    assert {"relu_", "conv2d", "layer_norm", "cross_entropy", "__getitem__"} <= facts.known_op_names()


def test_modules():
    assert facts.module("ReLU")["op"] == "relu" and facts.module("ReLU")["inplace_arg"] == "inplace"
    assert facts.module("Linear")["param_args"] == ["weight", "bias"]
    assert facts.module("Identity") == {"op": None, "identity": True}
    assert facts.module("Sequential") == {"container": "sequential"}
    assert facts.module("ModuleList") == {"container": "list"}
    assert facts.module("NoSuchModule") is None
    for name in ("Conv2d", "BatchNorm2d", "LayerNorm", "Dropout", "Softmax", "Sigmoid", "Tanh", "GELU", "SiLU",
                 "LeakyReLU", "ELU", "Hardtanh", "ReLU6", "Embedding", "MSELoss", "CrossEntropyLoss", "Flatten",
                 "MaxPool2d"):
        entry = facts.module(name)
        assert entry["op"] in facts.known_op_names() and entry["verified"], name


def test_return_type_fields_are_torchs():
    """facts.RETURN_TYPE_FIELDS: each name at the position torch's named tuples hold it, for every op with facts
    that returns one (a new such op, or one whose fields clash with the table, fails here)."""
    torch = pytest.importorskip("torch")
    a = torch.randn(3, 3)
    spd = a @ a.mT + 3 * torch.eye(3)
    results = {
        "svd": [torch.linalg.svd(a), torch.svd(a), a.svd()], "qr": [torch.linalg.qr(a), a.qr()],
        "eigh": [torch.linalg.eigh(spd)], "eig": [torch.linalg.eig(a)], "cholesky_ex": [torch.linalg.cholesky_ex(spd)],
        "inv_ex": [torch.linalg.inv_ex(spd)], "solve_ex": [torch.linalg.solve_ex(spd, a)],
        "lu_factor": [torch.linalg.lu_factor(spd)], "lu_factor_ex": [torch.linalg.lu_factor_ex(spd)],
        "lstsq": [torch.linalg.lstsq(a, a)], "slogdet": [torch.linalg.slogdet(spd), torch.slogdet(spd)],
        "aminmax": [torch.aminmax(a)], "max": [torch.max(a, 0)], "min": [torch.min(a, 0)],
        "median": [torch.median(a, 0)], "mode": [torch.mode(a, 0)], "kthvalue": [torch.kthvalue(a, 1)],
        "sort": [torch.sort(a)], "topk": [torch.topk(a, 2)], "cummax": [torch.cummax(a, 0)],
        "cummin": [torch.cummin(a, 0)],
    }
    plain_tuples = {"chunk", "split", "split_with_sizes", "tensor_split", "unbind", "std_mean", "var_mean"}
    table = json.loads((DATA / "torch_ops.json").read_text())["ops"]
    several = {name for name, entry in table.items() if any(v.get("outputs", 1) > 1 or v.get("saves_outputs")
                                                            for v in entry["variants"])}
    assert several - plain_tuples == set(results)
    seen = set()
    for name, made in results.items():
        for result in made:
            for i, field in enumerate(type(result).__match_args__):
                if field in facts.RETURN_TYPE_FIELDS:
                    assert facts.RETURN_TYPE_FIELDS[field] == i, (name, field)
                    seen.add(field)
    assert seen == set(facts.RETURN_TYPE_FIELDS)


# ---- (3) the analysis side never imports torch


def test_facts_module_does_not_import_torch():
    code = ("import sys, gradguard.facts as f; f.op('mul', 'operator', {'input': 'tensor', 'other': 'tensor'}); "
            "f.module('ReLU'); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
