"""Losses returned in a namedtuple, each backwarded once: each field holds its own graph."""
from collections import namedtuple

import torch
import torch.nn as nn

Losses = namedtuple("Losses", "policy_loss qf_loss alpha_loss")


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
print("qf grad:", qf.weight.grad.tolist())
