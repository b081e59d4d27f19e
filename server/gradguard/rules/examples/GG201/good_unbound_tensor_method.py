"""`w = torch.Tensor.masked_fill(w, pad, 0.0)`: the unbound out-of-place method, on softmax weights.

`softmax` keeps its output for backward; `masked_fill` (no trailing underscore) returns a new tensor and leaves
that output as it was.
"""
import torch
import torch.nn as nn


class MaskedPool(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, 1)

    def forward(self, x, pad):
        w = self.score(x).squeeze(-1).softmax(-1)
        w = torch.Tensor.masked_fill(w, pad, 0.0)
        return (w.unsqueeze(-1) * x).sum(1)


torch.manual_seed(0)
pool = MaskedPool(4)
x = torch.randn(2, 3, 4)
pad = torch.tensor([[False, False, True], [False, True, True]])
pool(x, pad).sum().backward()
print("score.weight.grad:", [round(v, 4) for v in pool.score.weight.grad.flatten().tolist()])
