"""A subclass adds into the output of a sigmoid its base class built: `h += x`.

`GatedBase.__init__` builds `self.gate = nn.Sigmoid()`; `Gated` calls `super().__init__(dim)` and uses it. The
sigmoid keeps its output for backward, and `h += x` changes it.
"""
import torch
import torch.nn as nn


class GatedBase(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.gate = nn.Sigmoid()


class Gated(GatedBase):
    def __init__(self, dim):
        super().__init__(dim)
        self.scale = 2.0

    def forward(self, x):
        h = self.gate(self.proj(x))
        h += x  # expect GG201
        return h * self.scale


if __name__ == "__main__":
    torch.manual_seed(0)
    inputs = torch.randn(2, 3)
    model = Gated(3)
    model(inputs).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(model.proj.weight.grad.norm().item(), 4))
