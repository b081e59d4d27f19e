"""Each quick-fix form of issue #16, proven by running the fixed program under torch.

Every case is a small program that torch rejects (or whose gradient is silently wrong). It is fixed the way
`gradguard check --fix` fixes it (the preferred safe fixes, `autofix.fix_source`), the fixed text must parse
(libcst) and keep every comment, must contain the expected rewrite, and must run under torch without an
exception. Each program checks its own numbers: it ends with asserts against a reference computed the way the
program meant (usually a `.clone()` taken before the change), so a fix that runs but computes something else fails.
"""

from __future__ import annotations

import io
import os
import sys
import tokenize
from collections import Counter
from pathlib import Path

import libcst
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from torch_runner import run_examples  # noqa: E402

from gradguard.autofix import fix_source  # noqa: E402

# name -> (program, a line the fixed program must contain)
CASES: dict[str, tuple[str, str]] = {}


def case(name: str, expect: str, source: str) -> None:
    CASES[name] = (source, expect)


# -- compound statements on one line ----------------------------------------------------------------------
case("three_statements_on_one_line", "y = torch.tanh(x); y = y.add(1); z = y * 2", """\
import torch
x = torch.rand(3, requires_grad=True)
y = torch.tanh(x); y.add_(1); z = y * 2
z.sum().backward()
ref = torch.tanh(x.detach())
assert torch.allclose(x.grad, 2 * (1 - ref ** 2))
""")
case("change_first_of_two_on_a_line", "y = y.add(1); z = y * 2  # keep me", """\
import torch
x = torch.rand(3, requires_grad=True)
y = torch.tanh(x)
y.add_(1); z = y * 2  # keep me
z.sum().backward()
ref = torch.tanh(x.detach())
assert torch.allclose(z, 2 * (ref + 1)) and torch.allclose(x.grad, 2 * (1 - ref ** 2))
""")
case("index_write_after_a_statement_on_its_line", "y = torch.exp(x); y = y.clone(); y[0] = 0.0  # zero the first", """\
import torch
x = torch.rand(3, requires_grad=True)
y = torch.exp(x); y[0] = 0.0  # zero the first
y.sum().backward()
assert torch.allclose(x.grad, torch.exp(x.detach()) * torch.tensor([0.0, 1.0, 1.0]))
""")
case("index_write_in_a_one_line_if", "if x.sum() > 0: y = y.clone(); y[0] = 0.0", """\
import torch
x = torch.rand(3, requires_grad=True)
y = torch.exp(x)
if x.sum() > 0: y[0] = 0.0
y.sum().backward()
assert torch.allclose(x.grad, torch.exp(x.detach()) * torch.tensor([0.0, 1.0, 1.0]))
""")
case("torch_function_without_twin_after_a_statement", "y = torch.sigmoid(x); y = y.clone(); torch.zero_(y)", """\
import torch
x = torch.rand(3, requires_grad=True)
y = torch.sigmoid(x); torch.zero_(y)
(y + x).sum().backward()
assert torch.equal(y, torch.zeros(3)) and torch.allclose(x.grad, torch.ones(3))
""")

# -- inplace=True ------------------------------------------------------------------------------------------
# A functional call whose result is dropped: `inplace=False` alone would lose the change, so it is assigned.
case("functional_inplace_statement", "y = F.relu(y, inplace=False)", """\
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = (torch.randn(2, 3) * 3).requires_grad_()
y = torch.tanh(x)
F.relu(y, inplace=True)
(y * 3).sum().backward()
t = torch.tanh(x.detach())
assert torch.allclose(y, t.clamp(min=0)) and torch.allclose(x.grad, 3 * (t > 0) * (1 - t ** 2), atol=1e-5)
""")
case("functional_positional_inplace_statement", "y = F.dropout(y, 0.5, True, False)", """\
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = (torch.randn(4, 5) * 3).requires_grad_()
y = torch.tanh(x)
torch.manual_seed(1)
F.dropout(y, 0.5, True, True)
y.sum().backward()
torch.manual_seed(1)
keep = F.dropout(torch.ones(4, 5), 0.5, True)
t = torch.tanh(x.detach())
assert torch.allclose(y, t * keep) and torch.allclose(x.grad, keep * (1 - t ** 2), atol=1e-5)
""")
# A module called as a statement relies on the change: its definition stays, the input is cloned first.
case("module_called_as_statement", "y = y.clone()", """\
import torch
import torch.nn as nn
act = nn.ReLU(inplace=True)
x = torch.randn(3, requires_grad=True)
y = torch.tanh(x)
act(y)
y.sum().backward()
t = torch.tanh(x.detach())
assert torch.allclose(y, t.clamp(min=0)) and torch.allclose(x.grad, (t > 0) * (1 - t ** 2))
""")
case("module_attribute_called_as_statement", "        h = h.clone()", """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        h = torch.tanh(x)
        self.act(h)
        return h


x = torch.randn(3, requires_grad=True)
Net()(x).sum().backward()
t = torch.tanh(x.detach())
assert torch.allclose(x.grad, (t > 0) * (1 - t ** 2))
""")
# Every call uses the module's result: `inplace=False` where it is built.
case("module_definition", "        self.act = nn.ReLU(inplace=False)  # saves memory", """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.ReLU(inplace=True)  # saves memory

    def forward(self, x):
        h = torch.tanh(x)
        return self.act(h)


x = torch.randn(3, requires_grad=True)
out = Net()(x)
out.sum().backward()
t = torch.tanh(x.detach())
assert torch.allclose(out, t.clamp(min=0)) and torch.allclose(x.grad, (t > 0) * (1 - t ** 2))
""")

# -- another name sees the change: `.clone()` where the op saves the tensor, not a rebinding ---------------
case("alias_read_later", "probs = torch.sigmoid(logits).clone()", """\
import torch
logits = torch.tensor([2.0, -1.0, 0.0], requires_grad=True)
probs = torch.sigmoid(logits)
out = probs
out -= 0.5
loss = (out ** 2).sum() + probs.sum()
loss.backward()
q = torch.sigmoid(logits.detach()) - 0.5  # both names hold the changed tensor
assert torch.allclose(loss.detach(), (q ** 2).sum() + q.sum())
p = torch.sigmoid(logits.detach())
assert torch.allclose(logits.grad, (2 * q + 1) * p * (1 - p))
""")
case("alias_in_a_list", "h = torch.tanh(x).clone()", """\
import torch
x = torch.rand(3, requires_grad=True)
h = torch.tanh(x)
outs = [h]
h.mul_(2)
loss = outs[0].sum()
loss.backward()
t = torch.tanh(x.detach())
assert torch.allclose(loss.detach(), 2 * t.sum()) and torch.allclose(x.grad, 2 * (1 - t ** 2))
""")
case("saved_input_read_later_under_another_name", "y = w * x.clone()", """\
import torch
w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
y = w * x
x2 = x
x2 += 1.0
(y.sum() + x.sum()).backward()
assert torch.equal(w.grad, torch.tensor([3.0, 4.0])) and torch.equal(x, torch.tensor([4.0, 5.0]))
""")

# -- every in-place op of the op facts, on an output its op saved (sigmoid keeps its output) -----------------
# The arguments each op is called with here; an in-place op the facts gain must be added (see the test below).
ARGS = {
    "abs_": "", "add_": "1.0", "addcdiv_": "torch.ones(2, 3), torch.full((2, 3), 2.0)",
    "addcmul_": "torch.ones(2, 3), torch.full((2, 3), 2.0)", "celu_": "", "clamp_": "-0.2, 0.3",
    "copy_": "torch.arange(3.0)", "cos_": "", "div_": "2.0", "elu_": "", "exp_": "", "fill_": "0.5",
    "hardtanh_": "-0.5, 0.5", "index_add_": "0, torch.tensor([1]), torch.ones(1, 3)", "leaky_relu_": "0.2",
    "log_": "", "masked_fill_": "x > 0, 0.0", "mul_": "2.0", "neg_": "", "pow_": "2", "reciprocal_": "", "relu_": "",
    "scatter_": "1, torch.tensor([[1], [0]]), torch.zeros(2, 1)",
    "scatter_add_": "1, torch.tensor([[1], [0]]), torch.ones(2, 1)", "selu_": "", "sigmoid_": "", "sin_": "",
    "sqrt_": "", "square_": "", "sub_": "1.0", "tanh_": "", "threshold_": "0.1, 0.0", "zero_": "",
    # not measured by the facts, known to the fixes (facts.OUT_OF_PLACE_BASES) or without an out-of-place twin
    "clamp_min_": "0.1", "masked_scatter_": "x > 0, torch.zeros(2, 3)", "index_put_": "(torch.tensor([0]),), torch.tensor(0.0)",
    "index_fill_": "1, torch.tensor([0]), 0.0", "index_copy_": "0, torch.tensor([1]), torch.ones(1, 3)",
    "fill_diagonal_": "0.0", "lerp_": "torch.ones(2, 3), 0.5", "nan_to_num_": "", "tril_": "", "t_": "",
    # measured since session 15 (torch.fft/linalg/special and the corpus's other ops)
    "ceil_": "", "clamp_max_": "0.3", "clip_": "-0.2, 0.3", "cumsum_": "1", "erfinv_": "", "floor_": "",
    "fmod_": "0.3", "remainder_": "0.3", "round_": "", "rsqrt_": "", "sign_": "", "triu_": "", "trunc_": "",
    "scatter_reduce_": "1, torch.tensor([[1], [0]]), torch.ones(2, 1), 'sum'",
}
# What the fix writes: the out-of-place twin; for these, a tensor that requires grad is changed on a copy (a new
# zeros_like/full_like/empty_like tensor would have no graph)
ON_A_COPY = {"zero_", "fill_", "copy_", "fill_diagonal_"}


def inplace_ops() -> dict[str, list[str]]:
    from gradguard import facts

    table = facts._ops_table()["ops"]
    return {n: e["forms"] for n, e in table.items() if n.endswith("_") and not n.startswith("__")}


def call_of(op: str, forms, tensor: str) -> tuple[str, str]:
    """(the in-place call on `tensor`, the fixed line expected for `y`)."""
    args = ARGS[op]
    if "method" in forms:
        expect = f"y = y.clone().{op}(" if op in ON_A_COPY else f"y = y.{op[:-1]}("
        return f"{tensor}.{op}({args})", expect
    module = "torch" if "torch" in forms else "F"
    return f"{module}.{op}({tensor}{', ' + args if args else ''})", f"y = {module}.{op[:-1]}(y"


for _op, _forms in sorted({**inplace_ops(), **{k: ["method"] for k in ARGS if k not in inplace_ops()}}.items()):
    _call, _expect = call_of(_op, _forms, "y")
    _ref, _ = call_of(_op, _forms, "y_ref")
    case(f"inplace_{_op}", _expect, f"""\
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = (torch.randn(2, 3) * 2).requires_grad_()
y = torch.sigmoid(x)
{_call}
(y * 3).sum().backward()
x_ref = x.detach().clone().requires_grad_()
y_ref = torch.sigmoid(x_ref).clone()  # the same change, on a copy: what the program meant
{_ref}
(y_ref * 3).sum().backward()
assert torch.allclose(y, y_ref, atol=1e-6, equal_nan=True), (y, y_ref)
assert torch.allclose(x.grad, x_ref.grad, atol=1e-6, equal_nan=True), (x.grad, x_ref.grad)
""")


def test_every_inplace_op_of_the_facts_has_a_case():
    assert set(inplace_ops()) <= set(ARGS)


# `zero_`/`fill_`/`copy_` of a tensor without grad (an input an op saved): new tensors
for _op, _args, _expect in (("zero_", "", "buf = torch.zeros_like(buf)"), ("fill_", "2.0", "buf = torch.full_like(buf, 2.0)"),
                            ("copy_", "torch.arange(3.0)", "buf = torch.empty_like(buf).copy_(torch.arange(3.0))")):
    case(f"buffer_{_op}", _expect, f"""\
import torch
w = torch.rand(3, requires_grad=True)
buf = torch.ones(3)
y = w * buf  # mul keeps buf for w's gradient
buf.{_op}({_args})
y.sum().backward()
ref = torch.ones(3)
ref.{_op}({_args})
assert torch.equal(w.grad, torch.ones(3)) and torch.equal(buf, ref)
""")

# -- augmented assignments on any target, index writes ---------------------------------------------------------
case("augassign_name", "y = y * 2  # doubled", """\
import torch
x = torch.rand(3, requires_grad=True)
y = torch.sigmoid(x)
y *= 2  # doubled
y.sum().backward()
p = torch.sigmoid(x.detach())
assert torch.allclose(x.grad, 2 * p * (1 - p))
""")
case("augassign_attribute", "s.h = s.h + 1.0", """\
import torch


class State:
    pass


s = State()
x = torch.rand(3, requires_grad=True)
s.h = torch.sigmoid(x)
s.h += 1.0
s.h.sum().backward()
p = torch.sigmoid(x.detach())
assert torch.allclose(s.h, p + 1) and torch.allclose(x.grad, p * (1 - p))
""")
case("augassign_subscript_of_a_name", "y = y.clone()", """\
import torch
x = torch.rand(2, 3, requires_grad=True)
y = torch.exp(x)
y[:, 1] *= 2.0
y.sum().backward()
e = torch.exp(x.detach())
scale = torch.tensor([1.0, 2.0, 1.0])
assert torch.allclose(y, e * scale) and torch.allclose(x.grad, e * scale)
""")
case("augassign_subscript_of_an_attribute", "s.h = s.h.clone()", """\
import torch


class State:
    pass


s = State()
x = torch.rand(2, 3, requires_grad=True)
s.h = torch.exp(x)
s.h[0] -= 1.0
s.h.sum().backward()
e = torch.exp(x.detach())
assert torch.allclose(s.h, e - torch.tensor([[1.0], [0.0]])) and torch.allclose(x.grad, e)
""")
case("index_write", "y = y.clone()", """\
import torch
x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = torch.exp(x)
y[0] = 0.0
y.sum().backward()
assert torch.allclose(x.grad, torch.tensor([0.0, 1.0, 2.0]).exp() * torch.tensor([0.0, 1.0, 1.0]))
""")
case("mask_write_from_the_tensor_itself", "y = torch.where(y > 1.0, 0.0, y)", """\
import torch
x = torch.randn(2, 3, requires_grad=True)
y = torch.exp(x)
y[y > 1.0] = 0.0
y.sum().backward()
e = torch.exp(x.detach())
assert torch.allclose(y, torch.where(e > 1.0, 0.0, e)) and torch.allclose(x.grad, torch.where(e > 1.0, 0.0, e))
""")
case("mask_write_other_mask", "y = y.clone()", """\
import torch
x = torch.randn(2, 3, requires_grad=True)
mask = torch.tensor([[True, False, True], [False, False, True]])
y = torch.exp(x)
y[mask] = -1.0
y.sum().backward()
e = torch.exp(x.detach())
assert torch.allclose(y, torch.where(mask, -1.0, e)) and torch.allclose(x.grad, torch.where(mask, 0.0, e))
""")

# -- out= -----------------------------------------------------------------------------------------------------
case("out_statement", "buf = torch.mul(a, b)", """\
import torch
a = torch.rand(3, requires_grad=True)
b = torch.rand(3)
buf = torch.empty(3)
torch.mul(a, b, out=buf)
buf.sum().backward()
assert torch.allclose(a.grad, b)
""")
case("out_in_an_assignment", "c = buf = torch.mul(a, b)  # both names", """\
import torch
a = torch.rand(3, requires_grad=True)
b = torch.rand(3)
buf = torch.empty(3)
c = torch.mul(a, b, out=buf)  # both names
(c.sum() + buf.sum()).backward()
assert torch.allclose(a.grad, 2 * b)
""")

# -- `.data` writes before a backward() that needs the old values: after it, on the real tensor, under no_grad -
case("data_method_write", "    x.mul_(10)  # scale", """\
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
x.data.mul_(10)  # scale
loss.backward()
assert torch.equal(x.grad, torch.tensor([2.0, 4.0, 6.0])) and torch.equal(x, torch.tensor([10.0, 20.0, 30.0]))
""")
case("data_augmented_write", "with torch.no_grad():\n    x *= 10\n", """\
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
x.data *= 10
loss.backward()
assert torch.equal(x.grad, torch.tensor([2.0, 4.0, 6.0])) and torch.equal(x, torch.tensor([10.0, 20.0, 30.0]))
""")
case("data_index_write", "with torch.no_grad():\n    x[0] = 10.0\n", """\
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
x.data[0] = 10.0
loss.backward()
assert torch.equal(x.grad, torch.tensor([2.0, 4.0, 6.0])) and torch.equal(x, torch.tensor([10.0, 2.0, 3.0]))
""")
case("data_writes_in_a_loop", "with torch.no_grad():\n    for p in critic.parameters():\n        p.clamp_(-0.1, 0.1)", """\
import torch
import torch.nn as nn
torch.manual_seed(0)
critic = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
score = critic(x).mean()
true_grads = torch.autograd.grad(score, list(critic.parameters()), retain_graph=True)
for p in critic.parameters():
    p.data.clamp_(-0.1, 0.1)
score.backward()
assert all(torch.allclose(p.grad, g) for p, g in zip(critic.parameters(), true_grads))
assert all(p.abs().max() <= 0.1 for p in critic.parameters())
""")


def comments(source: str) -> Counter:
    return Counter(t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                   if t.type == tokenize.COMMENT)


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fix-forms")
    texts, paths = {}, {}
    for name, (source, _) in CASES.items():
        text, _titles = fix_source(source, f"{name}.py")
        texts[name] = text
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(text, encoding="utf-8")
    runs = run_examples([str(p) for p in paths.values()], workers=2)
    return texts, {name: runs[os.path.realpath(p)] for name, p in paths.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_program_runs_clean_under_torch(name, fixed):
    texts, runs = fixed
    source, expect = CASES[name]
    text = texts[name]
    assert text != source, "no fix applied"
    assert libcst.parse_module(text).code == text
    assert not comments(source) - comments(text), "a comment was lost"
    assert expect in text, f"expected `{expect}` in the fixed program:\n{text}"
    run = runs[name]
    assert not run["raised"], f"the fixed program fails under torch:\n{run.get('traceback')}\n{text}"
