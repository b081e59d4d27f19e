"""A module whose `forward` splits its input and scales one half in place (`x1 *= self.scale`)."""
import torch
import torch.nn as nn


class HalfScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(2.0))

    def forward(self, x):
        x1, x2 = x.split(2, dim=-1)
        x1 *= self.scale  # expect GG301; torch raises: This view is the output of a function that returns multiple views
        return torch.cat([x1, x2], dim=-1)


model = HalfScale()
x = torch.tensor([[1.0, 2.0, 3.0, 4.0]], requires_grad=True)
out = model(x * 1)
out.sum().backward()
print("out:", out.tolist())
print("scale.grad:", model.scale.grad.item())
