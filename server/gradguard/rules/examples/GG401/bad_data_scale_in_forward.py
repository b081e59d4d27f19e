"""A module whose `forward` halves its tanh output through `.data`.

The forward values are right, but tanh saved its output and its derivative `1 - tanh**2` is now
computed from the halved values. The correct gradient of `0.5 * tanh(z)` is `0.5 * (1 - tanh(z)**2)`.
"""
import torch
import torch.nn as nn


class Squash(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        h = torch.tanh(self.fc(x))
        h.data.mul_(0.5)  # expect GG401
        return h


torch.manual_seed(0)
model = Squash()
x = torch.tensor([[1.0, -2.0], [0.5, 1.5]])
out = model(x).sum()
out.backward()
with torch.no_grad():
    z = model.fc(x)
    true_bias_grad = (0.5 * (1 - torch.tanh(z) ** 2)).sum(dim=0)
print("out:", round(out.item(), 4))
print("bias.grad:", [round(v, 4) for v in model.fc.bias.grad.tolist()])
assert not torch.allclose(model.fc.bias.grad, true_bias_grad)  # silently wrong
