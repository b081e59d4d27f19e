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
