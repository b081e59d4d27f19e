"""`torch.Tensor.masked_fill_(w, pad, 0.0)`: the in-place method called unbound, on softmax weights.

`softmax` keeps its output for backward; the unbound call is `w.masked_fill_(pad, 0.0)` and changes it.
"""
import torch
import torch.nn as nn


class MaskedPool(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, 1)

    def forward(self, x, pad):
        w = self.score(x).squeeze(-1).softmax(-1)
        torch.Tensor.masked_fill_(w, pad, 0.0)  # expect GG201
        return (w.unsqueeze(-1) * x).sum(1)


torch.manual_seed(0)
pool = MaskedPool(4)
x = torch.randn(2, 3, 4)
pad = torch.tensor([[False, False, True], [False, True, True]])
pool(x, pad).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("score.weight.grad:", [round(v, 4) for v in pool.score.weight.grad.flatten().tolist()])
