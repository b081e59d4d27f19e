"""A nested `_inner_forward` (checkpointed or called) adds the identity into its ReLU's output.

OpenMMLab's residual blocks define `_inner_forward` inside forward and call it directly unless checkpointing is on.
It reads `self.conv` and `self.relu` from forward's scope; `out += identity` changes the output the ReLU kept.
"""
import torch
import torch.nn as nn
import torch.utils.checkpoint as cp


class BasicBlock(nn.Module):
    def __init__(self, channels, with_cp=False):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.relu = nn.ReLU()
        self.with_cp = with_cp

    def forward(self, x):
        def _inner_forward(x):
            identity = x
            out = self.conv(x)
            out = self.relu(out)
            out += identity  # expect GG201
            return out

        if self.with_cp and x.requires_grad:
            out = cp.checkpoint(_inner_forward, x, use_reentrant=False)
        else:
            out = _inner_forward(x)
        return self.relu(out)


torch.manual_seed(0)
block = BasicBlock(4)
x = torch.randn(2, 4, 5, 5, requires_grad=True)
block(x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
