"""`torch.index_select(x, 0, idx, out=self.send_buf)` in `forward`, `x` a previous layer's output.

No parameter is among the arguments, but on the training path `x` requires grad, and torch refuses `out=`
(fairchem's graph-parallel gather reused its send buffer this way).
"""
import torch
import torch.nn as nn


class Gather(nn.Module):
    def __init__(self, rows, width):
        super().__init__()
        self.register_buffer("send_buf", torch.zeros(rows, width))

    def forward(self, x, idx):
        torch.index_select(x, 0, idx, out=self.send_buf)  # expect GG103; torch raises: functions with out=... arguments don't support automatic differentiation
        return self.send_buf


torch.manual_seed(0)
embed = nn.Linear(3, 4)
gather = Gather(2, 4)
h = embed(torch.randn(5, 3))
out = gather(h, torch.tensor([0, 3]))
out.sum().backward()
print("grad:", embed.weight.grad.shape)
