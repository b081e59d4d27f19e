"""A `forward_parallel` method writes the new state into the tensor a multiplication saved a slice of.

A recurrent block with a second way through it (`forward_parallel`, called by the training loop instead of
`forward`): `self.decay * prev` keeps `prev`, a view of `state`, for the weight's gradient, and writing the new
state into `state` changes it. RWKV_Pytorch shipped this in its parallel time mixing.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class RecurrentBlock(nn.Module):
    def __init__(self, dim=4):
        super().__init__()
        self.decay = nn.Parameter(torch.rand(dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, state):
        return self.proj(x) + self.decay * state[:, 0]

    def forward_parallel(self, x, state):
        prev = state[:, 0]
        mixed = self.decay * prev + self.proj(x)
        state[:, 0] = x  # expect GG201
        return mixed


block = RecurrentBlock()
state = torch.randn(2, 3, 4)
out = block.forward_parallel(torch.randn(2, 4), state)
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("decay.grad:", [round(v, 4) for v in block.decay.grad.tolist()])
