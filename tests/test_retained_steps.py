"""An optimizer's step() between backward() calls through one retained graph, where the models are not in the file
(analysis/retained_steps.py). What is found is run under torch by the GG201 examples
bad_retained_graph_backwarded_after_step.py and bad_trainer_steps_each_optimizer_between_retained_backwards.py;
here, the shapes found without a driver, and the correct ones that must stay quiet."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

FOUND = {
    "loop over pairs": ("""\
def optimize_step(losses, model, opt):
    for i, (o, loss) in enumerate(zip(opt, losses)):
        o.zero_grad()
        loss.backward(retain_graph=True if i < len(opt) - 1 else False)
        o.step()
""", 5),
    "loop over an index": ("""\
def optimize_step(losses, optimizers):
    for i in range(len(losses)):
        losses[i].backward(retain_graph=True)
        optimizers[i].step()
""", 4),
    "straight line": ("""\
def update(d_loss, g_loss, d_opt, g_opt):
    d_opt.zero_grad()
    d_loss.backward(retain_graph=True)
    d_opt.step()
    g_opt.zero_grad()
    g_loss.backward()
    g_opt.step()
""", 4),
    "attributes of a trainer": ("""\
class Trainer:
    def update(self, d_loss, g_loss):
        d_loss.backward(retain_graph=True)
        self.d_optimizer.step()
        g_loss.backward()
        self.g_optimizer.step()
""", 4),
    "losses computed before the step": ("""\
def update(D, G, z, d_opt, g_opt):
    score = D(G(z))
    d_loss = score.mean()
    d_loss.backward(retain_graph=True)
    g_loss = -score.mean()
    d_opt.step()
    g_loss.backward()
""", 6),
}

QUIET = {
    "no retain_graph": """\
def update(d_loss, g_loss, d_opt):
    d_loss.backward()
    d_opt.step()
    g_loss.backward()
""",
    "retain_graph literally off": """\
def update(d_loss, g_loss, d_opt, opts, losses):
    d_loss.backward(retain_graph=False)
    d_opt.step()
    g_loss.backward()
    for o, loss in zip(opts, losses):
        loss.backward(retain_graph=None)
        o.step()
""",
    "no backward after the step": """\
def update(d_loss, g_loss, d_opt, g_opt):
    g_loss.backward(retain_graph=True)
    d_loss.backward()
    d_opt.step()
    g_opt.step()
""",
    "a new loss every batch": """\
def train(model, loader, optimizer):
    for x, y in loader:
        loss = model(x, y)
        optimizer.zero_grad()
        loss.backward(retain_graph=True)
        optimizer.step()
    for batch in loader:
        batch.backward(retain_graph=True)
        optimizer.step()
""",
    "steps after the backwards": """\
def optimize_step(losses, opt):
    for i, (o, loss) in enumerate(zip(opt, losses)):
        o.zero_grad()
        loss.backward(retain_graph=True if i < len(opt) - 1 else False)
    for o in opt:
        o.step()
""",
    "a new forward after the step": """\
def update(D, G, z, real, d_opt, g_opt):
    fake = G(z)
    d_loss = D(real).mean() - D(fake).mean()
    d_loss.backward(retain_graph=True)
    d_opt.step()
    g_loss = -D(fake).mean()
    g_loss.backward()
""",
    "a method that recomputes the losses": """\
class Model:
    def optimize(self):
        self.forward()
        self.loss_d.backward(retain_graph=True)
        self.opt_d.step()
        self.forward()
        self.loss_g.backward()
""",
    "step on the last pass only": """\
def fit(losses, optimizer):
    for i, loss in enumerate(losses):
        loss.backward(retain_graph=True)
        if i == len(losses) - 1:
            optimizer.step()
""",
    "a scheduler's step": """\
def fit(losses, scheduler):
    for loss in losses:
        loss.backward(retain_graph=True)
        scheduler.step()
""",
    "the loop ends after the step": """\
def fit(losses, optimizer):
    for loss in losses:
        loss.backward(retain_graph=True)
        optimizer.step()
        break
""",
    "a loss made in its backward's expression": """\
def fit(model, xs, optimizer):
    for x in xs:
        model(x).sum().backward(retain_graph=True)
        optimizer.step()
""",
}


@pytest.mark.parametrize("name", FOUND)
def test_step_between_retained_backwards_is_found(name: str):
    source, line = FOUND[name]
    found = [(f.span.line, f.code, f.severity.value) for f in analyze(source, "t.py").findings]
    assert (line, "GG201", "warning") in found, found


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("name", QUIET)
def test_correct_or_unknown_shapes_are_quiet(name: str, strict: bool):
    findings = analyze(QUIET[name], "t.py", Config(strict=strict)).findings
    assert not findings, [(f.span.line, f.code, f.message[:80]) for f in findings]
