"""`out.squeeze(dim=0)` out of place in a helper that handles a list of tensors or one tensor.

The list branch squeezes in place, but a tensor never takes it (`isinstance(out, list)` is False): iterating the
ReLU's output there would have changed its rows.
"""
import torch
import torch.nn as nn
from torch.distributions import Categorical


def cond_squeeze(out):
    if isinstance(out, list):
        for out_t in out:
            out_t.squeeze_(dim=0)
    else:
        out = out.squeeze(dim=0)
    return out


torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
logits = cond_squeeze(net(torch.randn(1, 4)))
dist = Categorical(logits=logits)
action = torch.tensor(1)
(-dist.log_prob(action)).backward()
print("log_prob:", round(dist.log_prob(action).item(), 4))
print("weight.grad:", [[round(v, 4) for v in row] for row in net[0].weight.grad.tolist()])
