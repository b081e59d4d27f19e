"""Two losses of a namedtuple share the policy's graph: the second backward() finds it freed."""
from collections import namedtuple

import torch
import torch.nn as nn

Losses = namedtuple("Losses", "policy_loss qf_loss")


def compute_loss(policy, qf, obs):
    act = policy(obs)
    policy_loss = act.pow(2).mean()
    qf_loss = qf(torch.cat([obs, act], 1)).pow(2).mean()
    return Losses(policy_loss=policy_loss, qf_loss=qf_loss)


torch.manual_seed(0)
policy, qf = nn.Linear(3, 1), nn.Linear(4, 1)
losses = compute_loss(policy, qf, torch.randn(4, 3))
losses.policy_loss.backward()
losses.qf_loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
