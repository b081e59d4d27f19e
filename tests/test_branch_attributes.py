"""A module attribute that an `if` may set (analysis/branch_attributes.py): on the side that skips the body, the
attribute still holds the previous call's tensor, and its graph. Each variant is run under torch first: torch
decides whether the second iteration's backward() raises."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

LAYER = '''
import torch
import torch.nn as nn


class Leaky(nn.Module):
    def __init__(self):
        super().__init__()
        INIT

    def reset(self):
        RESET

    def ensure(self, x):
        if self.v.numel() == 0:
            self.v = torch.zeros_like(x)

    def forward(self, x):
        LAZY
        self.v = 0.9 * self.v + x
        return torch.sigmoid(self.v)


torch.manual_seed(0)
lin = nn.Linear(3, 3)
layer = Leaky()
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
for step in range(3):
    layer.reset()
    out = layer(lin(torch.randn(2, 3)))
    loss = out.sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    AFTER
print("ran")
'''

SHAPE_CHECK = ("if self.v.shape != x.shape:\n            self.v = torch.zeros_like(x)")
IN_HELPER = "self.ensure(x)"
REGISTERED = ("if self.v.shape != x.shape:\n            self.register_buffer(\"v\", torch.zeros_like(x))")
WITH_ELSE = ("if self.v.shape != x.shape:\n            self.v = torch.zeros_like(x)\n        else:\n"
             "            print(\"kept\")")

CASES = {
    # (INIT, RESET, LAZY, AFTER): GG502 expected at the backward()?
    "shape check": (("self.v = torch.zeros(0)", "pass", SHAPE_CHECK, "pass"), True),
    "shape check in a helper": (("self.v = torch.zeros(0)", "pass", IN_HELPER, "pass"), True),
    "buffer registered anew": (("self.register_buffer(\"v\", torch.zeros(0))", "pass", REGISTERED, "pass"), True),
    "if with an else": (("self.v = torch.zeros(0)", "pass", WITH_ELSE, "pass"), True),
    "reset in place": (("self.v = torch.zeros(0)", "self.v.zero_()", SHAPE_CHECK, "pass"), True),
    "reset in place, detached": (("self.v = torch.zeros(0)", "self.v.zero_().detach_()", SHAPE_CHECK, "pass"), False),
    "reset by a new tensor": (("self.v = torch.zeros(0)", "self.v = torch.zeros_like(self.v)", SHAPE_CHECK, "pass"),
                              False),
    "detached after backward": (("self.v = torch.zeros(0)", "pass", SHAPE_CHECK, "layer.v = layer.v.detach()"),
                                False),
}


def source(parts) -> str:
    init, reset, lazy, after = parts
    return LAYER.replace("INIT", init).replace("RESET", reset).replace("LAZY", lazy).replace("AFTER", after)


@pytest.mark.parametrize("name", list(CASES))
def test_the_skipped_side_keeps_the_previous_state(name, tmp_path):
    parts, raises = CASES[name]
    text = source(parts)
    path = tmp_path / "layer.py"
    path.write_text(text)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert (run.returncode != 0) == raises, run.stderr
    if raises:
        assert "Trying to backward through the graph a second time" in run.stderr
    result = analyze(text, "layer.py", Config(strict=True))
    assert result.error is None
    line = text.splitlines().index("    loss.backward()") + 1
    found = [(f.code, f.span.line) for f in result.findings if f.severity.value in ("error", "warning")]
    assert found == ([("GG502", line)] if raises else []), found


LOOP_RESET = '''
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 4)
        self.h = None

    def forward(self, x):
        out, self.h = self.rnn(x, self.h)
        return out


torch.manual_seed(0)
model = Model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    x = torch.randn(5, 2, 3)
    RESET
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    AFTER
print("ran")
'''

LOOP_CASES = {
    # (RESET, AFTER): GG502 expected at the backward()?
    "reset only for a new batch size": (("if model.h is not None and model.h.size(1) != x.size(1):\n"
                                         "        model.h = None", "pass"), True),
    "reset every 100 steps": (("if step % 100 == 99:\n        model.h = None", "pass"), True),
    "reset every step": (("model.h = None", "pass"), False),
    "reset every step under a flag set true": (("reset = True\n    if reset:\n        model.h = None", "pass"), False),
    "detached after every backward": (("pass", "if model.h is not None:\n        model.h = model.h.detach()"),
                                      False),
    "detached every other step": (("pass", "if step % 2 == 0:\n        model.h = model.h.detach()"), True),
}


@pytest.mark.parametrize("name", list(LOOP_CASES))
def test_a_reset_in_the_loop_holds_on_its_side_only(name, tmp_path):
    """The training loop sets the module's attribute in an `if`: the calls of forward after it read what either
    side left (the module's state follows the join, not the body's write)."""
    (reset, after), raises = LOOP_CASES[name]
    text = LOOP_RESET.replace("RESET", reset).replace("AFTER", after)
    path = tmp_path / "loop.py"
    path.write_text(text)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert (run.returncode != 0) == raises, run.stderr
    if raises:
        assert "Trying to backward through the graph a second time" in run.stderr
    result = analyze(text, "loop.py", Config(strict=True))
    assert result.error is None
    line = text.splitlines().index("    loss.backward()") + 1
    found = [(f.code, f.span.line) for f in result.findings if f.severity.value in ("error", "warning")]
    assert found == ([("GG502", line)] if raises else []), found


SETTLED = '''
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, mode):
        self.mode = mode
        self.net = nn.Linear(3, 1)
        self.opt = torch.optim.SGD(self.net.parameters(), lr=0.1)

    def step(self):
        out = self.net(torch.randn(2, 3))
        if TEST == "l2":
            self.loss = out.pow(2).mean()
        elif TEST == "l1":
            self.loss = out.abs().mean()
        self.opt.zero_grad()
        self.loss.backward()
        self.opt.step()


torch.manual_seed(0)
trainer = Trainer("l2")
for i in range(3):
    trainer.step()
print("ran")
'''


def test_a_configuration_chain_is_taken_alike_by_every_call(tmp_path):
    """`if self.mode == "l2": self.loss = ... elif self.mode == "l1": ...` (no else) in a method each iteration
    calls: a setting that no call changes takes every call down the same side, so the side that assigns nothing
    never reads the previous call's loss. Read as such (an attribute against constants), the test leaves the
    skipped side alone (Shift-Net's backward_D, on its gan_type, made GG502 noise on the fixed version)."""
    text = SETTLED.replace("TEST", "self.mode")
    path = tmp_path / "trainer.py"
    path.write_text(text)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = analyze(text, "trainer.py", Config(strict=True))
    assert result.error is None
    found = [f.code for f in result.findings if f.severity.value in ("error", "warning")]
    assert found == [], found


def test_assigned_attributes_of_nested_blocks():
    """What an `if` may set: its own blocks, the `elif`s and loops, `try` and `with` inside them, a buffer
    registered by a constant name; not a nested function's assignments, nor a subscript or a plain name."""
    import ast

    from gradguard.analysis.branch_attributes import assigned_attributes

    tree = ast.parse('''
if a:
    self.x = 1
elif b:
    for i in range(3):
        with ctx:
            self.y, other.z = 1, 2
elif c:
    try:
        self.register_buffer("buf", t)
    except ValueError:
        self.w += 1
    def helper():
        self.hidden = 0
else:
    self.items[0] = 1
    plain = 2
''')
    outer = tree.body[0]
    assert sorted(key for _, _, key in assigned_attributes(outer)) == \
        ["other.z", "self.buf", "self.w", "self.x", "self.y"]
    second = outer.orelse[0]
    assert sorted(key for _, _, key in assigned_attributes(second)) == ["other.z", "self.buf", "self.w", "self.y"]
    chain = "if m == 0:\n    self.a0 = 0\n" + "".join(f"elif m == {i}:\n    self.a{i} = {i}\n" for i in range(1, 1200))
    top = ast.parse(chain).body[0]
    assert len(assigned_attributes(top)) == 1200
