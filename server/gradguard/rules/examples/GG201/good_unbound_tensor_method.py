"""`torch.Tensor.masked_fill_(s, pad, -inf)` on the scores, before the softmax: nothing saved them yet.

The unbound in-place call changes the linear layer's output, which no op has kept for backward; the softmax
then works on the masked scores.
"""
import torch
import torch.nn as nn


class MaskedPool(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, 1)

    def forward(self, x, pad):
        s = self.score(x).squeeze(-1)
        torch.Tensor.masked_fill_(s, pad, float("-inf"))
        w = s.softmax(-1)
        return (w.unsqueeze(-1) * x).sum(1)


torch.manual_seed(0)
pool = MaskedPool(4)
x = torch.randn(2, 3, 4)
pad = torch.tensor([[False, False, True], [False, True, True]])
pool(x, pad).sum().backward()
print("score.weight.grad:", [round(v, 4) for v in pool.score.weight.grad.flatten().tolist()])
