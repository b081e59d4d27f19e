"""Actor-critic and GAN trainers whose networks are built from classes of another file, which the file checked
alone does not show: an optimizer's step() between a forward through a network and a later backward() through that
forward changes the parameters the forward saved. Torch is run on the same files and must raise where the finding
says it will, and the correct order must stay quiet."""

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


class QNetwork(nn.Module):
    def __init__(self, obs_dim, act_dim, hidden):
        super().__init__()
        self.q1 = nn.Sequential(nn.Linear(obs_dim + act_dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        self.q2 = nn.Sequential(nn.Linear(obs_dim + act_dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, obs, act):
        x = torch.cat([obs, act], 1)
        return self.q1(x), self.q2(x)


class Policy(nn.Module):
    def __init__(self, obs_dim, act_dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, hidden), nn.ReLU(), nn.Linear(hidden, act_dim), nn.Tanh())

    def forward(self, obs):
        return self.net(obs)
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


def loud(found) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in found.findings if f.severity.value in ("error", "warning")]


SAC_ON_A_DEVICE = """\
import torch
import torch.nn.functional as F
from networks import QNetwork, Policy


class SAC:
    def __init__(self, obs_dim, act_dim, cuda=False):
        self.device = torch.device("cuda" if cuda else "cpu")
        self.critic = QNetwork(obs_dim, act_dim, 8).to(device=self.device)
        self.critic_optim = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        self.policy = Policy(obs_dim, act_dim, 8).to(self.device)
        self.policy_optim = torch.optim.Adam(self.policy.parameters(), lr=1e-3)

    def update(self, obs, act, q_target):
        qf1, qf2 = self.critic(obs, act)
        qf_loss = F.mse_loss(qf1, q_target) + F.mse_loss(qf2, q_target)
        qf1_pi, qf2_pi = self.critic(obs, self.policy(obs))
        policy_loss = -torch.min(qf1_pi, qf2_pi).mean()
STEPS


torch.manual_seed(0)
SAC(3, 2).update(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
print("ok")
"""
CRITIC_STEP_FIRST = """\
        self.critic_optim.zero_grad()
        qf_loss.backward()
        self.critic_optim.step()
        self.policy_optim.zero_grad()
        policy_loss.backward()
        self.policy_optim.step()
"""
BACKWARDS_FIRST = """\
        self.critic_optim.zero_grad()
        qf_loss.backward()
        self.policy_optim.zero_grad()
        policy_loss.backward()
        self.critic_optim.step()
        self.policy_optim.step()
"""


def test_a_critic_moved_to_a_torch_device_is_still_a_model(tmp_path: Path):
    """`torch.device(...)` is no tensor: `QNetwork(...).to(device=self.device)` is the network, whose parameters
    go to `critic_optim` (pytorch-soft-actor-critic's SAC before its fix for torch 1.5)."""
    found, ran = analyse_and_run(tmp_path, {"networks.py": NETWORKS,
                                            "sac.py": SAC_ON_A_DEVICE.replace("STEPS\n", CRITIC_STEP_FIRST)},
                                 "sac.py", "sac.py")
    assert "modified by an inplace operation" in ran.stderr
    assert 'sac.py", line 23, in update' in ran.stderr  # policy_loss.backward()
    assert loud(found) == [("GG201", 21)]


def test_a_critic_on_a_device_stepped_after_both_backwards_is_quiet(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, {"networks.py": NETWORKS,
                                            "sac.py": SAC_ON_A_DEVICE.replace("STEPS\n", BACKWARDS_FIRST)},
                                 "sac.py", "sac.py")
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []


REGISTRY_NETWORKS = """\
import torch.nn as nn


class Registry:
    def __init__(self):
        self.classes = {}

    def register(self, cls):
        self.classes[cls.__name__] = cls
        return cls

    def build(self, cfg):
        return self.classes[cfg["type"]](**cfg["args"])


HEADS = Registry()


@HEADS.register
class MLPHead(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(size, 8), nn.Tanh(), nn.Linear(8, 1))

    def forward(self, x):
        return self.net(x)


def build_head(cfg):
    return HEADS.build(cfg)


class Brain(nn.Module):
    def __init__(self, head_cfg):
        super().__init__()
        self.head = build_head(head_cfg)

    def forward(self, x):
        return self.head(x)
"""

PPO_LEARNER = """\
import torch
from networks import Brain


class Learner:
    def __init__(self, obs_dim):
        cfg = {"type": "MLPHead", "args": {"size": obs_dim}}
        self.actor = Brain(cfg)
        self.critic = Brain(cfg)
        self.actor_optim = torch.optim.Adam(self.actor.parameters(), lr=1e-3)
        self.critic_optim = torch.optim.Adam(self.critic.parameters(), lr=1e-3)

    def update(self, state, ret):
        value = self.critic(state)
        actor_loss = -self.actor(state).mean()
        critic_loss = (ret - value).pow(2).mean()
LOSSES


torch.manual_seed(0)
Learner(3).update(torch.randn(4, 3), torch.randn(4, 1))
print("ok")
"""
ONE_TOTAL_LOSS_TWICE = """\
        total_loss = actor_loss + critic_loss
        self.critic_optim.zero_grad()
        total_loss.backward(retain_graph=True)
        self.critic_optim.step()
        self.actor_optim.zero_grad()
        total_loss.backward()
        self.actor_optim.step()
"""
EACH_LOSS_ONCE = """\
        self.critic_optim.zero_grad()
        critic_loss.backward()
        self.critic_optim.step()
        self.actor_optim.zero_grad()
        actor_loss.backward()
        self.actor_optim.step()
"""


def analyse_in_project_and_run(tmp_path: Path, losses: str):
    files = {"networks.py": REGISTRY_NETWORKS, "learner.py": PPO_LEARNER.replace("LOSSES\n", losses)}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / ".git").mkdir()
    project = Project(str(tmp_path), jedi_budget=10.0)
    try:
        found = analyze(files["learner.py"], str(tmp_path / "learner.py"), Config(), project=project)
    finally:
        project.close()
    alone = analyze(files["learner.py"], str(tmp_path / "learner.py"), Config())
    ran = subprocess.run([sys.executable, "learner.py"], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(tmp_path)), cwd=tmp_path)
    return found, alone, ran


def test_a_network_whose_head_a_registry_builds_keeps_its_parameters_in_its_project(tmp_path: Path):
    """`Brain` is read from networks.py, but its head comes from a registry's builder the walk cannot follow: the
    head is a part of the model built elsewhere, which keeps its parameters for backward() as a network of a class
    the walk cannot read at all does (checked alone, `Brain` is such a class). rl_algorithms' PPO before its fix
    for torch 1.5: the critic steps between two backward() passes of one total loss."""
    found, alone, ran = analyse_in_project_and_run(tmp_path, ONE_TOTAL_LOSS_TWICE)
    assert "modified by an inplace operation" in ran.stderr
    assert 'learner.py", line 22, in update' in ran.stderr  # the second total_loss.backward()
    assert loud(found) == [("GG201", 20)] == loud(alone)


def test_each_loss_backpropagated_once_before_its_step_is_quiet_in_its_project(tmp_path: Path):
    found, alone, ran = analyse_in_project_and_run(tmp_path, EACH_LOSS_ONCE)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == [] == alone.findings
