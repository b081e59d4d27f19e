"""A subclass adds to the output of a sigmoid its base class built, out of place: `h = h + x`.

The sigmoid that `GatedBase.__init__` built keeps its output for backward; `h + x` is a new tensor.
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
        h = h + x
        return h * self.scale


if __name__ == "__main__":
    torch.manual_seed(0)
    inputs = torch.randn(2, 3)
    model = Gated(3)
    model(inputs).sum().backward()
    print("grad norm:", round(model.proj.weight.grad.norm().item(), 4))
