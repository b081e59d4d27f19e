"""Trainers whose networks the file does not hold in plain attributes of its own: networks kept in a dict by string
key (`self.models["encoder"]`, monolayout's GAN trainer), and networks and optimizers a base class of another file
sets (`SACLearner.__init__(self, ...)`, rl_algorithms' SACfD and BC-SAC learners). The networks' classes are in
another file, which the file checked alone does not show. Torch runs the same files: it must raise where the
finding says, and the fixed order (or a step whose model is not on the pending graph) must stay quiet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

NETWORKS = """\
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.Tanh())

    def forward(self, x):
        return self.net(x)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(8, 3)

    def forward(self, x):
        return self.net(x)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))

    def forward(self, x):
        return self.net(x)


class QNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))

    def forward(self, x):
        return self.net(x)


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2), nn.Tanh())

    def forward(self, x):
        return self.net(x)
"""

GAN_TRAINER = """\
import torch
import torch.nn.functional as F
import networks


class Trainer:
    def __init__(self, kind):
        self.models = {}
        self.models["encoder"] = networks.Encoder()
        if kind == "both":
            self.models["static_decoder"] = networks.Decoder()
            self.models["static_discr"] = networks.Discriminator()
        else:
            self.models["decoder"] = networks.Decoder()
            self.models["discriminator"] = networks.Discriminator()
        self.parameters_to_train, self.parameters_to_train_D = [], []
        for key in self.models.keys():
            if "discr" in key:
                self.parameters_to_train_D += list(self.models[key].parameters())
            else:
                self.parameters_to_train += list(self.models[key].parameters())
        self.model_optimizer = torch.optim.Adam(self.parameters_to_train, 1e-3)
        self.model_optimizer_D = torch.optim.Adam(self.parameters_to_train_D, 1e-3)

    def step(self, x, real):
        fake = self.models["decoder"](self.models["encoder"](x))
STEP


torch.manual_seed(0)
Trainer("single").step(torch.randn(5, 4), torch.randn(5, 3))
print("ok")
"""
GENERATOR_STEP_FIRST = """\
        fake_pred = self.models["discriminator"](fake)
        real_pred = self.models["discriminator"](real)
        ones, zeros = torch.ones_like(real_pred), torch.zeros_like(real_pred)
        loss_G = F.binary_cross_entropy_with_logits(fake_pred, ones) + F.mse_loss(fake, real)
        loss_D = F.binary_cross_entropy_with_logits(fake_pred, zeros) + \\
            F.binary_cross_entropy_with_logits(real_pred, ones)
        self.model_optimizer.zero_grad()
        loss_G.backward(retain_graph=True)
        self.model_optimizer.step()
        self.model_optimizer_D.zero_grad()
        loss_D.backward()
        self.model_optimizer_D.step()
"""
BOTH_BACKWARDS_FIRST = """\
        fake_pred = self.models["discriminator"](fake)
        real_pred = self.models["discriminator"](real)
        ones, zeros = torch.ones_like(real_pred), torch.zeros_like(real_pred)
        loss_G = F.binary_cross_entropy_with_logits(fake_pred, ones) + F.mse_loss(fake, real)
        loss_D = F.binary_cross_entropy_with_logits(fake_pred, zeros) + \\
            F.binary_cross_entropy_with_logits(real_pred, ones)
        self.model_optimizer.zero_grad()
        loss_G.backward(retain_graph=True)
        self.model_optimizer_D.zero_grad()
        loss_D.backward()
        self.model_optimizer.step()
        self.model_optimizer_D.step()
"""
# The discriminator's optimizer steps before a backward() through the encoder and the decoder only: had the loop
# over the keys paired it with the generator's networks, this would be a false finding
DISCRIMINATOR_STEP_BEFORE_A_GENERATOR_ONLY_BACKWARD = """\
        loss_D = self.models["discriminator"](fake.detach()).mean() - self.models["discriminator"](real).mean()
        self.model_optimizer_D.zero_grad()
        loss_D.backward()
        self.model_optimizer_D.step()
        loss_G = F.mse_loss(fake, real)
        self.model_optimizer.zero_grad()
        loss_G.backward()
        self.model_optimizer.step()
"""


def write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / ".git").mkdir(exist_ok=True)


def analyse(tmp_path: Path, files: dict[str, str], analysed: str):
    """`analysed` checked alone (the other files not read), then in its project (they are)."""
    alone = analyze(files[analysed], str(tmp_path / analysed), Config())
    project = Project(str(tmp_path), jedi_budget=10.0)
    try:
        inside = analyze(files[analysed], str(tmp_path / analysed), Config(), project=project)
    finally:
        project.close()
    return alone, inside


def run(tmp_path: Path, script: str):
    return subprocess.run([sys.executable, script], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(tmp_path)), cwd=tmp_path)


def loud(found) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in found.findings if f.severity.value in ("error", "warning")]


def gan(tmp_path: Path, step: str):
    files = {"networks.py": NETWORKS, "train.py": GAN_TRAINER.replace("STEP\n", step)}
    write(tmp_path, files)
    return analyse(tmp_path, files, "train.py") + (run(tmp_path, "train.py"),)


def test_a_generator_held_in_a_dict_stepped_before_the_discriminator_backward(tmp_path: Path):
    """monolayout's train.py before its fix: the networks live in `self.models`, the optimizers take the parameters
    of the keys that name them (`"discr" in key`), and the generator's step comes before `loss_D.backward()`, whose
    graph goes through the generator's output."""
    alone, inside, ran = gan(tmp_path, GENERATOR_STEP_FIRST)
    assert "modified by an inplace operation" in ran.stderr
    assert 'train.py", line 37, in step' in ran.stderr  # loss_D.backward()
    assert loud(alone) == [("GG201", 35)] == loud(inside)  # self.model_optimizer.step()


def test_both_backwards_before_the_steps_is_quiet(tmp_path: Path):
    alone, inside, ran = gan(tmp_path, BOTH_BACKWARDS_FIRST)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert alone.findings == [] == inside.findings


def test_the_discriminator_optimizer_steps_only_the_discriminator(tmp_path: Path):
    alone, inside, ran = gan(tmp_path, DISCRIMINATOR_STEP_BEFORE_A_GENERATOR_ONLY_BACKWARD)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert alone.findings == [] == inside.findings


BASE_LEARNER = """\
import torch
from networks import QNetwork, Policy


class SACLearner:
    def __init__(self, lr):
        self.lr = lr
        self._init_network()

    def _init_network(self):
        self.actor = Policy()
        self.qf_1 = QNetwork()
        self.qf_2 = QNetwork()
        self.actor_optim = torch.optim.Adam(self.actor.parameters(), lr=self.lr)
        self.qf_1_optim = torch.optim.Adam(self.qf_1.parameters(), lr=self.lr)
        self.qf_2_optim = torch.optim.Adam(self.qf_2.parameters(), lr=self.lr)
"""

SUBCLASS_LEARNER = """\
import torch
from base_learner import SACLearner


class SACfDLearner(SACLearner):
    def __init__(self, lr):
        SACLearner.__init__(self, lr)
        self.lambda1 = 1.0

    def update_model(self, states, actions, q_target):
        q_1_pred = self.qf_1(torch.cat((states, actions), dim=-1))
        q_2_pred = self.qf_2(torch.cat((states, actions), dim=-1))
        qf_1_loss = (q_1_pred - q_target).pow(2).mean()
        qf_2_loss = (q_2_pred - q_target).pow(2).mean()
        new_actions = self.actor(states)
        states_actions = torch.cat((states, new_actions), dim=-1)
        q_pred = torch.min(self.qf_1(states_actions), self.qf_2(states_actions))
STEPS
        actor_loss = -q_pred.mean()
        self.actor_optim.zero_grad()
        actor_loss.backward()
        self.actor_optim.step()


torch.manual_seed(0)
SACfDLearner(1e-3).update_model(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
print("ok")
"""
CRITIC_STEPS = """\
        self.qf_1_optim.zero_grad()
        qf_1_loss.backward()
        self.qf_1_optim.step()
        self.qf_2_optim.zero_grad()
        qf_2_loss.backward()
        self.qf_2_optim.step()
"""
CRITIC_STEPS_THEN_Q_AGAIN = CRITIC_STEPS + \
    "        q_pred = torch.min(self.qf_1(states_actions), self.qf_2(states_actions))\n"


def learner(tmp_path: Path, steps: str):
    files = {"networks.py": NETWORKS, "base_learner.py": BASE_LEARNER,
             "sacfd.py": SUBCLASS_LEARNER.replace("STEPS\n", steps)}
    write(tmp_path, files)
    return analyse(tmp_path, files, "sacfd.py") + (run(tmp_path, "sacfd.py"),)


def test_critics_a_base_class_of_another_file_sets_stepped_before_the_actor_backward(tmp_path: Path):
    """rl_algorithms' SACfD learner before its fix for torch 1.5: `self.qf_1`, `self.qf_1_optim` and the others
    are set by `SACLearner._init_network` in another file; `q_pred` goes through both critics, which their
    optimizers step before `actor_loss.backward()`. Alone the base is unknown code; in the project its
    `__init__` is not followed either (`SACLearner.__init__(self, ...)` is an attribute of another file's class):
    the steps are paired with the calls by name, as a trainer's handed-in optimizers are."""
    alone, inside, ran = learner(tmp_path, CRITIC_STEPS)
    assert "modified by an inplace operation" in ran.stderr
    assert 'sacfd.py", line 26, in update_model' in ran.stderr  # actor_loss.backward()
    assert loud(alone) == [("GG201", 20), ("GG201", 23)] == loud(inside)


def test_q_recomputed_after_the_critic_steps_is_quiet(tmp_path: Path):
    alone, inside, ran = learner(tmp_path, CRITIC_STEPS_THEN_Q_AGAIN)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert alone.findings == [] == inside.findings
