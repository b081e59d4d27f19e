"""An in-place ReLU built in `__init__` and applied in `forward` after a Linear layer."""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.ReLU(inplace=True)
        self.fc2 = nn.Linear(4, 1)

    def forward(self, x):
        h = self.act(self.fc1(x))
        return self.fc2(h)


torch.manual_seed(0)
model = MLP()
x = torch.tensor([[1.0, -1.0, 0.5], [0.0, 2.0, 1.0]], requires_grad=True)
out = model(x)
out.sum().backward()
print("out:", [round(v, 4) for v in out.flatten().tolist()])
print("x.grad:", [[round(v, 4) for v in row] for row in x.grad.tolist()])
