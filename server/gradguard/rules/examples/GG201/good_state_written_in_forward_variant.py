"""`forward_parallel` keeps the new state in a copy: the slice that `mul` saved stays intact.

The recurrent block of the bad example, with the state cloned before the write (RWKV_Pytorch's fix builds the new
state out of place): the multiplication's saved `prev` is a view of the old state, which nothing changes.
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
        state = state.clone()
        state[:, 0] = x
        return mixed


block = RecurrentBlock()
state = torch.randn(2, 3, 4)
out = block.forward_parallel(torch.randn(2, 4), state)
out.sum().backward()
print("decay.grad:", [round(v, 4) for v in block.decay.grad.tolist()])
