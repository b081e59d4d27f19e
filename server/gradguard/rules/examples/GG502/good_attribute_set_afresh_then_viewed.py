"""`self.w` is computed afresh from the parameters in each call, then reshaped."""
import torch
import torch.nn as nn


class Bases(nn.Module):
    def __init__(self):
        super().__init__()
        self.att = nn.Parameter(torch.randn(4, 2))
        self.basis = nn.Parameter(torch.randn(2, 6))

    def forward(self, x):
        self.w = torch.matmul(self.att, self.basis)
        self.w = self.w.view(4, 2, 3)
        return torch.einsum("ri,rio->o", x, self.w)


torch.manual_seed(0)
model = Bases()
for step in range(3):
    model(torch.randn(4, 2)).sum().backward()
print("att grad:", [round(v, 4) for v in model.att.grad[0].tolist()])
