"""A namedtuple (`Losses = namedtuple("Losses", "a b")`, or a `typing.NamedTuple` class) is a record: a field read
back (`losses.qf_loss`) is the tensor stored in it, not every field's graph joined. Found on rlkit's SAC, whose
`losses.alpha_loss.backward()` seemed to free the graph of `losses.policy_loss`. Each program is analysed and run
under torch (the rule examples may import only torch, numpy and einops: these need `collections` and `typing`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

FUNCTIONAL = '''from collections import namedtuple

import torch
import torch.nn as nn

Losses = namedtuple("Losses", "policy_loss qf_loss alpha_loss")
'''
TYPED = '''from typing import NamedTuple

import torch
import torch.nn as nn


class Losses(NamedTuple):
    policy_loss: torch.Tensor
    qf_loss: torch.Tensor
    alpha_loss: torch.Tensor
'''
SEPARATE = '''

def compute_loss(policy, qf, log_alpha, obs):
    log_pi = policy(obs)
    alpha_loss = -(log_alpha * log_pi.detach()).mean()
    policy_loss = (log_alpha.exp() * log_pi).mean()
    qf_loss = qf(obs).pow(2).mean()
    return Losses(policy_loss=policy_loss, qf_loss=qf_loss, alpha_loss=alpha_loss)


torch.manual_seed(0)
policy, qf = nn.Linear(3, 1), nn.Linear(3, 1)
log_alpha = torch.zeros(1, requires_grad=True)
losses = compute_loss(policy, qf, log_alpha, torch.randn(4, 3))
losses.alpha_loss.backward()
losses.policy_loss.backward()
losses.qf_loss.backward()
'''
SHARED = '''

def compute_loss(policy, qf, obs):
    act = policy(obs)
    policy_loss = act.pow(2).mean()
    qf_loss = qf(torch.cat([obs, act], 1)).pow(2).mean()
    return Losses(policy_loss=policy_loss, qf_loss=qf_loss, alpha_loss=policy_loss)


torch.manual_seed(0)
policy, qf = nn.Linear(3, 1), nn.Linear(4, 1)
losses = compute_loss(policy, qf, torch.randn(4, 3))
losses.policy_loss.backward(RETAIN)
losses.qf_loss.backward()
'''


def analyse_and_run(tmp_path: Path, text: str):
    path = tmp_path / "program.py"
    path.write_text(text)
    found = analyze(text, str(path), Config())
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    return [(f.code, f.span.line) for f in found.findings], ran


@pytest.mark.parametrize("head", [FUNCTIONAL, TYPED], ids=["namedtuple", "NamedTuple"])
def test_each_field_backwarded_once_is_quiet(tmp_path: Path, head: str):
    found, ran = analyse_and_run(tmp_path, head + SEPARATE)
    assert ran.returncode == 0, ran.stderr
    assert found == []


@pytest.mark.parametrize("head", [FUNCTIONAL, TYPED], ids=["namedtuple", "NamedTuple"])
def test_two_fields_sharing_a_freed_graph(tmp_path: Path, head: str):
    text = head + SHARED.replace("RETAIN", "")
    found, ran = analyse_and_run(tmp_path, text)
    assert "Trying to backward through the graph a second time" in ran.stderr
    assert found == [("GG501", text.splitlines().index("losses.qf_loss.backward()") + 1)]


@pytest.mark.parametrize("head", [FUNCTIONAL, TYPED], ids=["namedtuple", "NamedTuple"])
def test_two_fields_sharing_a_retained_graph_is_quiet(tmp_path: Path, head: str):
    found, ran = analyse_and_run(tmp_path, head + SHARED.replace("RETAIN", "retain_graph=True"))
    assert ran.returncode == 0, ran.stderr
    assert found == []
