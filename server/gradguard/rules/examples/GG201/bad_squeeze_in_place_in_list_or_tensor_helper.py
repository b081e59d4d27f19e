"""`out.squeeze_(dim=0)` in a list-or-tensor helper, given a ReLU's output.

`isinstance(out, list)` is False for a tensor: the helper squeezes the ReLU's output itself in place, and
ReluBackward0 saved it.
"""
import torch
import torch.nn as nn
from torch.distributions import Categorical


def cond_squeeze(out):
    if isinstance(out, list):
        for out_t in out:
            out_t.squeeze_(dim=0)
    else:
        out.squeeze_(dim=0)  # expect GG201
    return out


torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
logits = cond_squeeze(net(torch.randn(1, 4)))
dist = Categorical(logits=logits)
action = torch.tensor(1)
(-dist.log_prob(action)).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
