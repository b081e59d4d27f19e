"""A training script whose models come from code the analysis does not read (another package, `--no-follow`):
`optim.Adam(netG.parameters())` shows `netG` is a model, so `fake = netG(noise)` requires grad and its forward keeps
tensors for backward. A GAN step that backpropagates the discriminator's loss into `fake` and then the generator's
loss through `fake` again fails at the second backward(): torch is run on the same files and must raise there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze

MODELS = """\
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)
"""

TRAIN = """\
import torch
import torch.nn as nn
from models import Generator, Discriminator

torch.manual_seed(0)
netG, netD = Generator(), Discriminator()
optG = torch.optim.Adam(netG.parameters(), lr=2e-4)
optD = torch.optim.Adam(netD.parameters(), lr=2e-4)
criterion = nn.BCELoss()
for step in range(2):
    real = torch.randn(8, 3)
    fake = netG(torch.randn(8, 4))
    optD.zero_grad()
    loss_d = criterion(netD(real), torch.ones(8, 1)) + criterion(netD(FAKE_FOR_D), torch.zeros(8, 1))
    loss_d.backward()
    optD.step()
    optG.zero_grad()
    loss_g = criterion(netD(fake), torch.ones(8, 1))
    loss_g.backward()
    optG.step()
print("ok")
"""


def analyse_and_run(tmp_path: Path, files: dict[str, str], analysed: str, script: str):
    """Write `files`, analyse `analysed` alone (no project: the other files are not read), run `script` under
    torch."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    found = analyze(files[analysed], str(tmp_path / analysed), Config())
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    ran = subprocess.run([sys.executable, script], capture_output=True, text=True, env=env, cwd=tmp_path)
    return found, ran


def run(tmp_path: Path, fake_for_d: str):
    return analyse_and_run(tmp_path, {"models.py": MODELS, "train.py": TRAIN.replace("FAKE_FOR_D", fake_for_d)},
                           "train.py", "train.py")


def test_the_generator_graph_freed_by_the_discriminator_step(tmp_path: Path):
    found, ran = run(tmp_path, "fake")
    assert "Trying to backward through the graph a second time" in ran.stderr
    assert ', line 19, in <module>' in ran.stderr  # loss_g.backward()
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG501", 19, "warning")]
    assert "netD(fake.detach())" in found.findings[0].message


def test_detached_for_the_discriminator_step_is_quiet(tmp_path: Path):
    found, ran = run(tmp_path, "fake.detach()")
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []


TRAINER = """\
import torch
import torch.nn.functional as F


class Trainer:
    def __init__(self, policy, qf1):
        self.policy = policy
        self.qf1 = qf1
        self.policy_optimizer = torch.optim.SGD(self.policy.parameters(), lr=0.1)
        self.qf1_optimizer = torch.optim.SGD(self.qf1.parameters(), lr=0.1)

    def train_step(self, obs, actions, q_target):
        new_actions = self.policy(obs)
        policy_loss = -self.qf1(torch.cat([obs, new_actions], 1)).mean()
        qf1_loss = F.mse_loss(self.qf1(torch.cat([obs, actions], 1)), q_target)
STEPS
"""
CRITIC_FIRST = """\
        self.qf1_optimizer.zero_grad()
        qf1_loss.backward()
        self.qf1_optimizer.step()
        self.policy_optimizer.zero_grad()
        policy_loss.backward()
        self.policy_optimizer.step()
"""
BACKWARDS_FIRST = """\
        self.policy_optimizer.zero_grad()
        policy_loss.backward()
        self.qf1_optimizer.zero_grad()
        qf1_loss.backward()
        self.policy_optimizer.step()
        self.qf1_optimizer.step()
"""
LAUNCHER = """\
import torch
import torch.nn as nn
from trainer import Trainer

torch.manual_seed(0)
Trainer(nn.Linear(3, 1), nn.Linear(4, 1)).train_step(torch.randn(8, 3), torch.randn(8, 1), torch.randn(8, 1))
print("ok")
"""


def run_trainer(tmp_path: Path, steps: str):
    # the networks are built by the launcher only
    return analyse_and_run(tmp_path, {"trainer.py": TRAINER.replace("STEPS\n", steps), "launch.py": LAUNCHER},
                           "trainer.py", "launch.py")


def test_an_optimizer_step_over_injected_networks_before_a_pending_backward(tmp_path: Path):
    found, ran = run_trainer(tmp_path, CRITIC_FIRST)
    assert "modified by an inplace operation" in ran.stderr
    assert 'trainer.py", line 20, in train_step' in ran.stderr  # policy_loss.backward()
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG201", 18, "warning")]
    assert [r.span.line for r in found.findings[0].related][:2] == [14, 20]


def test_both_backwards_before_the_steps_is_quiet(tmp_path: Path):
    found, ran = run_trainer(tmp_path, BACKWARDS_FIRST)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []


GAN_NETWORKS = """\
import torch.nn as nn


def define_G():
    return nn.Sequential(nn.Linear(4, 4), nn.Tanh())


def define_D():
    return nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
"""
GAN_MODEL = """\
import torch
import networks


class GANModel:
    def initialize(self):
        self.netG = networks.define_G()
        self.netD = networks.define_D()
        self.optimizer_G = torch.optim.SGD(self.netG.parameters(), lr=0.1)
        self.optimizer_D = torch.optim.SGD(self.netD.parameters(), lr=0.1)

    def set_input(self, a, b):
        self.real_A, self.real_B = a, b

    def forward(self):
        self.fake_B = self.netG(self.real_A)

    def backward_D(self):
        self.pred_fake = self.netD(self.fake_B.detach())
        self.pred_real = self.netD(self.real_B)
        self.loss_D = (self.pred_real - self.pred_fake.mean()).pow(2).mean()
        self.loss_D.backward()

    def backward_G(self):
        pred_fake = self.netD(self.fake_B)
        pred_real = self.netD(self.real_B)
        self.loss_G = (pred_real - PRED_FAKE_FOR_G.mean()).pow(2).mean() + pred_fake.mean()
        self.loss_G.backward()

    def optimize_parameters(self):
        self.forward()
        self.optimizer_D.zero_grad()
        self.backward_D()
        self.optimizer_G.zero_grad()
        self.backward_G()
        self.optimizer_G.step()
"""
GAN_TRAIN = """\
import torch
from model import GANModel

torch.manual_seed(0)
model = GANModel()
model.initialize()
model.set_input(torch.randn(2, 4), torch.randn(2, 4))
model.optimize_parameters()
print("ok")
"""


def run_gan(tmp_path: Path, pred_fake_for_g: str):
    files = {"networks.py": GAN_NETWORKS, "model.py": GAN_MODEL.replace("PRED_FAKE_FOR_G", pred_fake_for_g),
             "train.py": GAN_TRAIN}
    return analyse_and_run(tmp_path, files, "model.py", "train.py")


def test_a_gan_model_built_by_initialize_reusing_the_discriminator_output_of_its_d_step(tmp_path: Path):
    """pix2pix-style code: `initialize(opt)` builds the networks, `optimize_parameters` runs `backward_D()` then
    `backward_G()`, and the G loss reuses `self.pred_fake`, whose graph the D step's backward() freed."""
    found, ran = run_gan(tmp_path, "self.pred_fake")
    assert "Trying to backward through the graph a second time" in ran.stderr
    assert 'model.py", line 28, in backward_G' in ran.stderr
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG501", 28, "warning")]


def test_a_gan_model_built_by_initialize_with_its_own_discriminator_output_is_quiet(tmp_path: Path):
    found, ran = run_gan(tmp_path, "pred_fake")
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []



STEPS = """\
import torch.nn.functional as F


def vae_step(model, optimizer, x):
    out = model(x)
    loss = F.mse_loss(out, x)
    penalty = out.abs().mean()
    optimizer.zero_grad()
    loss.backward(retain_graph=True)
    STEP_FIRST
    penalty.backward()
    STEP_LAST


def gan_step(netG, netD, optimizerG, optimizerD, z, real):
    fake = netG(z)
    pred_fake = netD(fake)
    loss_D = netD(real).mean() - pred_fake.mean()
    optimizerD.zero_grad()
    loss_D.backward(retain_graph=True)
    optimizerD.step()
    loss_G = -PRED_FOR_G.mean()
    optimizerG.zero_grad()
    loss_G.backward()
    optimizerG.step()


def train(model, optimizer, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
"""
STEPS_LAUNCHER = """\
import torch
import torch.nn as nn
from steps import gan_step, train, vae_step

torch.manual_seed(0)
mlp = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4))
train(mlp, torch.optim.SGD(mlp.parameters(), lr=0.1), [(torch.randn(2, 4), torch.randn(2, 4))])
G, D = nn.Sequential(nn.Linear(2, 4), nn.Tanh()), nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
CALL
print("ok")
"""
VAE_CALL = "vae_step(mlp, torch.optim.SGD(mlp.parameters(), lr=0.1), torch.randn(2, 4))"
GAN_CALL = "gan_step(G, D, torch.optim.SGD(G.parameters()), torch.optim.SGD(D.parameters()), torch.randn(2, 2), " \
    "torch.randn(2, 4))".replace("parameters())", "parameters(), lr=0.1)")


def run_steps(tmp_path: Path, call: str, bad: bool):
    """Training functions handed their model and its optimizer as arguments, analysed without their caller: the
    optimizer's name says which model it steps (`optimizerD` steps `netD`; a lone `optimizer` the lone `model`).
    `bad`: each steps before a backward() through the output of the model it steps."""
    steps = STEPS.replace("STEP_FIRST", "optimizer.step()" if bad else "pass")
    steps = steps.replace("STEP_LAST", "pass" if bad else "optimizer.step()")
    steps = steps.replace("PRED_FOR_G", "pred_fake" if bad else "netD(fake)")
    files = {"steps.py": steps, "launch.py": STEPS_LAUNCHER.replace("CALL", call)}
    return analyse_and_run(tmp_path, files, "steps.py", "launch.py")


def test_an_optimizer_argument_steps_its_model_before_a_backward_through_its_output(tmp_path: Path):
    found, ran = run_steps(tmp_path, VAE_CALL, bad=True)
    assert "modified by an inplace operation" in ran.stderr
    assert 'steps.py", line 11, in vae_step' in ran.stderr  # penalty.backward()
    _, ran_gan = run_steps(tmp_path, GAN_CALL, bad=True)
    assert "modified by an inplace operation" in ran_gan.stderr
    assert 'steps.py", line 24, in gan_step' in ran_gan.stderr  # loss_G.backward()
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [
        ("GG201", 10, "warning"), ("GG201", 21, "warning")]
    assert [r.span.line for r in found.findings[0].related][:2] == [5, 11]
    assert [r.span.line for r in found.findings[1].related][:2] == [17, 24]


def test_steps_after_the_backwards_that_need_the_model_are_quiet(tmp_path: Path):
    """The same functions, each step after the last backward() through its model (or a fresh pass through it), and
    the usual training loop: torch runs them clean, and nothing is reported."""
    for call in (VAE_CALL, GAN_CALL):
        found, ran = run_steps(tmp_path, call, bad=False)
        assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
        assert found.findings == []


GAN_TRAINER = """\
import torch.nn.functional as F


class GANTrainer:
    def __init__(self, G, D, g_optimizer, d_optimizer):
        self.G, self.D = G, D
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer

    def train_step(self, z, real):
        fake = self.G(z)
        pred_fake = self.D(fake)
        d_loss = F.softplus(pred_fake).mean() + F.softplus(-self.D(real)).mean()
        self.d_optimizer.zero_grad()
        d_loss.backward(retain_graph=True)
        self.d_optimizer.step()
        g_loss = F.softplus(-PRED_FOR_G).mean()
        self.g_optimizer.zero_grad()
        g_loss.backward()
        self.g_optimizer.step()
"""
GAN_TRAINER_LAUNCHER = """\
import torch
import torch.nn as nn
from gan_trainer import GANTrainer

torch.manual_seed(0)
G, D = nn.Sequential(nn.Linear(2, 4), nn.Tanh()), nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
trainer = GANTrainer(G, D, torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(D.parameters(), lr=0.1))
trainer.train_step(torch.randn(2, 2), torch.randn(2, 4))
print("ok")
"""


def run_gan_trainer(tmp_path: Path, pred_for_g: str):
    files = {"gan_trainer.py": GAN_TRAINER.replace("PRED_FOR_G", pred_for_g), "launch.py": GAN_TRAINER_LAUNCHER}
    return analyse_and_run(tmp_path, files, "gan_trainer.py", "launch.py")


def test_a_trainer_handed_its_optimizers_steps_d_before_the_g_loss_through_d(tmp_path: Path):
    """`d_optimizer` steps `self.D` (their names say so), and the G loss goes through the D pass made before it."""
    found, ran = run_gan_trainer(tmp_path, "pred_fake")
    assert "modified by an inplace operation" in ran.stderr
    assert 'gan_trainer.py", line 19, in train_step' in ran.stderr  # g_loss.backward()
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG201", 16, "warning")]
    assert [r.span.line for r in found.findings[0].related][:2] == [12, 19]


def test_a_trainer_handed_its_optimizers_with_a_fresh_d_pass_for_g_is_quiet(tmp_path: Path):
    found, ran = run_gan_trainer(tmp_path, "self.D(fake)")
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []
