"""A module whose `forward` halves its tanh output out of place: `h = h * 0.5`."""
import torch
import torch.nn as nn


class Squash(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        h = torch.tanh(self.fc(x))
        h = h * 0.5
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
assert torch.allclose(model.fc.bias.grad, true_bias_grad)
