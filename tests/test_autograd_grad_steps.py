"""A function that takes gradients with `torch.autograd.grad` of a loss it computes runs with grad mode on, as one
that calls backward() does: a meta-learning inner step, a closed-form refit called before the inner update. An
in-place change of a parameter in it (or in what it calls) outside `torch.no_grad()` raises 'a leaf Variable that
requires grad is being used in an in-place operation'. The file only defines the classes (a training script in
another file drives them), so grad mode is read off the function itself: a warning on the training path, not the
information 'when grad mode is on'. Each program is run under torch by a driver that imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze

INNER_STEP = '''import torch
import torch.nn as nn
import torch.nn.functional as F


class Learner(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 1)

    def adapt(self, x, y, lr=0.1):
        loss = F.mse_loss(self.net(x), y)
        grads = torch.autograd.grad(loss, list(self.net.parameters()))
        for p, g in zip(self.net.parameters(), grads):
            p.sub_(lr * g)
        return loss
'''

INNER_STEP_NO_GRAD = INNER_STEP.replace(
    "        for p, g in zip(self.net.parameters(), grads):\n            p.sub_(lr * g)\n",
    "        with torch.no_grad():\n            for p, g in zip(self.net.parameters(), grads):\n                p.sub_(lr * g)\n")

REFIT = '''import torch
import torch.nn as nn


class Baseline(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.linear = nn.Linear(n, 1, bias=False)

    def fit(self, feats, returns):
        coeffs = torch.linalg.lstsq(feats, returns).solution
        self.linear.weight.copy_(coeffs.t())

    def forward(self, feats):
        return self.linear(feats)


class Learner:
    def __init__(self, n):
        self.policy = nn.Linear(n, 1)
        self.baseline = Baseline(n)

    def adapt(self, feats, returns):
        self.baseline.fit(feats, returns)
        advantages = returns - self.baseline(feats).detach()
        loss = -(self.policy(feats) * advantages).mean()
        return torch.autograd.grad(loss, list(self.policy.parameters()))
'''

# the same refit, called by a function that turns grad mode on itself: its caller may run it under no_grad
REFIT_ENABLE_GRAD = REFIT.replace(
    "        self.baseline.fit(feats, returns)\n        advantages = returns - self.baseline(feats).detach()\n"
    "        loss = -(self.policy(feats) * advantages).mean()\n"
    "        return torch.autograd.grad(loss, list(self.policy.parameters()))\n",
    "        self.baseline.fit(feats, returns)\n        advantages = returns - self.baseline(feats).detach()\n"
    "        with torch.enable_grad():\n            loss = -(self.policy(feats) * advantages).mean()\n"
    "            return torch.autograd.grad(loss, list(self.policy.parameters()))\n")

DRIVERS = {
    "inner": "import torch, program\nprint(program.Learner().adapt(torch.randn(8, 4), torch.randn(8, 1)).item())",
    "refit": "import torch, program\nprint(len(program.Learner(4).adapt(torch.randn(8, 4), torch.randn(8, 1))))",
    "refit_no_grad": "import torch, program\nwith torch.no_grad():\n"
                     "    print(len(program.Learner(4).adapt(torch.randn(8, 4), torch.randn(8, 1))))",
}


def analyse_and_run(tmp_path: Path, text: str, driver: str):
    path = tmp_path / "program.py"
    path.write_text(text)
    found = analyze(text, str(path), Config())
    ran = subprocess.run([sys.executable, "-c", DRIVERS[driver]], capture_output=True, text=True, cwd=tmp_path)
    return [(f.code, f.span.line, f.severity.value) for f in found.findings if f.severity.value != "information"], ran


def test_inner_step_on_parameters_outside_no_grad(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, INNER_STEP, "inner")
    assert "a leaf Variable that requires grad is being used in an in-place operation" in ran.stderr
    assert "line 15, in adapt" in ran.stderr
    assert found == [("GG101", 15, "warning")]


def test_inner_step_under_no_grad_is_quiet(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, INNER_STEP_NO_GRAD, "inner")
    assert ran.returncode == 0, ran.stderr
    assert found == []


def test_refit_called_by_a_function_that_takes_gradients(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, REFIT, "refit")
    assert "a leaf Variable that requires grad is being used in an in-place operation" in ran.stderr
    assert "line 12, in fit" in ran.stderr
    assert found == [("GG101", 12, "warning")]


def test_a_function_that_turns_grad_mode_on_itself_leaves_its_callers_mode_open(tmp_path: Path):
    # called under no_grad, the refit runs (the gradient is taken inside enable_grad): no warning
    found, ran = analyse_and_run(tmp_path, REFIT_ENABLE_GRAD, "refit_no_grad")
    assert ran.returncode == 0, ran.stderr
    assert found == []
