"""Optimizer steps in the forms training code takes (analysis/optimizers.py): `scaler.step(optimizer)`, optimizers
over parameter groups or several models' parameters, a step every micro-batch while a summed loss backpropagates
every k. What is found is run under torch by the GG201 example and tests/recall (bad_c5_*_step_*, bad_c6_summed_*);
here, the correct training loops that must stay quiet, default and strict."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

# zero_grad/backward/step per loss; gradient accumulation stepping after the backward; a GradScaler used as
# documented; one optimizer over two models; parameter groups; a GAN that runs D(fake) again after the D step;
# one optimizer per block stepped after the last backward (or after a forward of its own).
CORRECT_LOOPS = """\\
import itertools
import torch
import torch.nn as nn
import torch.nn.functional as F


def accum_good(model, loader, optimizer, k):
    running = 0.0
    for step, (x, y) in enumerate(loader):
        running = running + F.cross_entropy(model(x), y) / k
        if (step + 1) % k == 0:
            optimizer.zero_grad()
            running.backward()
            optimizer.step()
            running = 0.0


def accum_list_good(model, loader, optimizer, k):
    losses = []
    for step, (x, y) in enumerate(loader):
        losses.append(F.cross_entropy(model(x), y))
        if (step + 1) % k == 0:
            optimizer.zero_grad()
            torch.stack(losses).mean().backward()
            optimizer.step()
            losses = []


def per_batch(model, loader, optimizer, scheduler, k):
    total = 0.0
    for step, (x, y) in enumerate(loader):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        total += loss.item()
    return total


def accum_backward_each(model, loader, optimizer, scaler, k):
    for step, (x, y) in enumerate(loader):
        with torch.autocast("cuda"):
            loss = F.cross_entropy(model(x), y) / k
        scaler.scale(loss).backward()
        if (step + 1) % k == 0:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()


def two_models(encoder, head, loader):
    opt = torch.optim.SGD(list(encoder.parameters()) + list(head.parameters()), lr=0.1)
    for x, y in loader:
        loss = F.cross_entropy(head(encoder(x)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def chained(encoder, head, loader):
    opt = torch.optim.SGD(itertools.chain(encoder.parameters(), head.parameters()), lr=0.1)
    for x, y in loader:
        hidden = encoder(x)
        loss = F.cross_entropy(head(hidden), y) + hidden.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()


class Trainer:
    def __init__(self, model, args):
        self.model = model
        no_decay = ["bias", "LayerNorm.weight"]
        groups = [
            {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)]},
            {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
        ]
        self.optimizer = torch.optim.AdamW(groups, lr=args.lr)
        self.scaler = torch.cuda.amp.GradScaler()

    def training_step(self, x, y):
        hidden = self.model.encoder(x)
        loss = F.cross_entropy(self.model.classifier(hidden), y)
        aux = hidden.pow(2).mean()
        self.optimizer.zero_grad()
        self.scaler.scale(loss + aux).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        return loss.item()

    def fit(self, loader):
        for x, y in loader:
            self.training_step(x, y)
        for x, y in loader:
            with torch.no_grad():
                out = self.model.encoder(x)


def gan(G, D, opt_g, opt_d, loader, nz):
    for real in loader:
        fake = G(torch.randn(real.size(0), nz))
        d_loss = F.softplus(D(fake.detach())).mean() + F.softplus(-D(real)).mean()
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = F.softplus(-D(fake)).mean()
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()


def per_block_optimizers(load_model_and_optimizer, loader):
    model, optimizer = load_model_and_optimizer()
    for x in loader:
        loss = model(x)
        model.zero_grad()
        for idx, cur in enumerate(loss):
            if idx == len(loss) - 1:
                cur.backward()
            else:
                cur.backward(retain_graph=True)
        for opt in optimizer:
            opt.step()


def per_block_forward_each(model, optimizer, loader):
    for x in loader:
        for idx in range(len(optimizer)):
            loss = model(x)[idx]
            optimizer[idx].zero_grad()
            loss.backward()
            optimizer[idx].step()
"""

# a Trainer of a model handed in (parameter groups, `self.model.encoder`), a model's method under no_grad, a
# fresh forward after each step, freezing by name, named_parameters init loops, SAC's two optimizers over the
# parts of one model, statistics of a detached output.
CORRECT_TRAINERS = """\\
import torch
import torch.nn as nn
import torch.nn.functional as F


class HFTrainer:
    def __init__(self, model, args):
        self.model = model
        no_decay = ["bias", "LayerNorm.weight"]
        params = [
            {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)]},
            {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
        ]
        self.optimizer = torch.optim.AdamW(params, lr=args.lr)

    def training_step(self, inputs):
        outputs = self.model(**inputs)
        loss = outputs.loss
        loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad()
        return loss.detach()

    def evaluate(self, batch):
        with torch.no_grad():
            return self.model.generate(batch)

    def two_steps(self, x1, x2, y1, y2):
        h1 = self.model.encoder(x1)
        loss1 = F.cross_entropy(self.model.head(h1), y1)
        self.optimizer.zero_grad()
        loss1.backward()
        self.optimizer.step()
        h2 = self.model.encoder(x2)
        loss2 = F.cross_entropy(self.model.head(h2), y2)
        self.optimizer.zero_grad()
        loss2.backward()
        self.optimizer.step()


def freeze_then_train(model, loader):
    for n, p in model.named_parameters():
        if "encoder" in n:
            p.requires_grad = False
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def init_named(model):
    for name, p in model.named_parameters():
        if "weight" in name:
            nn.init.xavier_uniform_(p)
        else:
            nn.init.zeros_(p)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        for name, p in self.named_parameters():
            if "bias" in name:
                nn.init.zeros_(p)

    def forward(self, x):
        return self.fc(x)


class SAC:
    def __init__(self, ac, lr):
        self.ac = ac
        self.pi_optimizer = torch.optim.Adam(self.ac.pi.parameters(), lr=lr)
        self.q_optimizer = torch.optim.Adam(self.ac.q.parameters(), lr=lr)

    def update(self, o, a, r):
        self.q_optimizer.zero_grad()
        loss_q = ((self.ac.q(o, a) - r) ** 2).mean()
        loss_q.backward()
        self.q_optimizer.step()
        self.pi_optimizer.zero_grad()
        loss_pi = -self.ac.q(o, self.ac.pi(o)).mean()
        loss_pi.backward()
        self.pi_optimizer.step()


def finetune(model, loader, lr):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for x, y in loader:
        feats = model.encoder(x)
        out = model.head(feats)
        loss = F.cross_entropy(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        stats = model.compute_stats(feats.detach())
"""


@pytest.mark.parametrize("source", [CORRECT_LOOPS, CORRECT_TRAINERS], ids=["loops", "trainers"])
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_correct_training_code_is_quiet(source: str, strict: bool):
    result = analyze(source, "train.py", Config(strict=strict))
    assert result.error is None, result.error
    assert not result.findings, [(f.span.line, f.code, f.message[:120]) for f in result.findings]


SCALER_STEP = """\
import torch.nn.functional as F


def train_step(G, D, opt_g, opt_d, scaler, real, noise):
    fake = G(noise)
    d_fake = D(fake)
    d_loss = F.softplus(d_fake).mean() + F.softplus(-D(real)).mean()
    g_loss = F.softplus(-d_fake).mean()
    opt_d.zero_grad()
    scaler.scale(d_loss).backward(retain_graph=True)
    scaler.step(opt_d)
    opt_g.zero_grad()
    scaler.scale(g_loss).backward()
    scaler.step(opt_g)
    scaler.update()
"""


def test_scaler_step_is_the_optimizer_step():
    found = analyze(SCALER_STEP, "train.py", Config()).findings
    assert [(f.span.line, f.code) for f in found] == [(11, "GG201")]
    assert [r.span.line for r in found[0].related] == [6, 13]


def test_a_tensor_named_scaler_keeps_its_in_place_methods():
    source = "import torch\n\nscaler = torch.ones(3, requires_grad=True)\nscaler.mul_(2)\n"
    found = analyze(source, "t.py", Config()).findings
    assert [(f.span.line, f.code) for f in found] == [(4, "GG101")]


UNPACKED = """\
def fit(load_model_and_optimizer, batch):
    model, optimizer = load_model_and_optimizer()
    loss = model(batch)
    for idx, cur_loss in enumerate(loss):
        model.zero_grad()
        cur_loss.backward(retain_graph=True)
        optimizer[idx].step()
"""


def test_a_model_and_its_optimizers_unpacked_from_a_call_are_paired_by_name():
    """`model, optimizer = load_model_and_optimizer(opt)` (Greedy InfoMax): `optimizer[idx]` steps a part of the
    model that the next item's backward() goes through (run under torch by the GG201 example
    bad_block_optimizers_stepped_between_item_backwards). Names that do not say model are not paired."""
    found = analyze(UNPACKED, "fit.py", Config())
    assert [(f.code, f.span.line) for f in found.findings] == [("GG201", 7)]
    unnamed = analyze(UNPACKED.replace("model", "data"), "fit.py", Config(strict=True)).findings
    # not paired: what is left is the shape of a step between backward() calls through one retained graph
    # (retained_steps), which holds whatever the names
    assert [(f.code, f.span.line, "retain_graph" in f.message) for f in unnamed] == [("GG201", 7, True)]


# An L2 term built once in __init__ and added to every batch's loss; the optimizer is kept by another method.
SET_BY_COMPILE = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(4, 1)
        self.reg_loss = 1e-3 * torch.norm(self.linear.weight)

    def forward(self, x):
        return self.linear(x)

    def compile(self, optimizer):
        self.optim = OPTIMIZER

    def _get_optim(self, name):
        if name == "adam":
            optim = torch.optim.Adam(self.parameters())
        else:
            optim = torch.optim.SGD(self.parameters(), lr=0.1)
        return optim

    def fit(self, batches):
        optim = self.optim
        for x, y in batches:
            loss = F.mse_loss(self(x), y) + self.reg_loss
            optim.zero_grad()
            loss.backward(retain_graph=True)
            optim.step()
"""


@pytest.mark.parametrize("optimizer, found", [
    ("torch.optim.Adam(self.parameters())", True),  # built in place
    ("self._get_optim(optimizer)", True),  # by a method of the class that returns one of its branches' optimizers
    ("torch.optim.Adam(optimizer)", False),  # of the parameters the caller passes: not known to be the model's
    ("optimizer", False),  # the caller's optimizer
])
def test_an_optimizer_kept_by_another_method_is_the_instances(optimizer: str, found: bool):
    result = analyze(SET_BY_COMPILE.replace("OPTIMIZER", optimizer), "model.py", Config(strict=True))
    hits = [(f.span.line, f.code, f.severity.name) for f in result.findings]
    assert hits == ([(31, "GG201", "WARNING")] if found else []), hits


def test_an_optimizer_built_by_init_is_not_replaced():
    # __init__ builds the optimizer of the linear layer alone; `compile` is never what fit steps for sure
    source = SET_BY_COMPILE.replace("OPTIMIZER", "torch.optim.Adam(self.parameters())").replace(
        "        self.reg_loss =", "        self.optim = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)\n"
        "        self.reg_loss =")
    assert not [f for f in analyze(source, "model.py", Config(strict=True)).findings if f.code == "GG201"]
