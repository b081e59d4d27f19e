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
