"""The same fit, copied into the weight under `torch.no_grad()`, where autograd does not record it.

The loop and its `else` are unchanged: after a successful solve the copy runs, now with grad mode off, as an
optimizer step would.
"""
import torch
from torch import nn


class LinearBaseline(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.linear = nn.Linear(features, 1, bias=False)

    def fit(self, featmat, returns):
        reg = 1e-5
        eye = torch.eye(featmat.shape[1])
        for _ in range(5):
            try:
                coeffs = torch.linalg.solve(featmat.t() @ featmat + reg * eye, featmat.t() @ returns)
                break
            except RuntimeError:
                reg *= 10
        else:
            raise RuntimeError("the normal equations are singular at every regularisation")
        with torch.no_grad():
            self.linear.weight.copy_(coeffs.t())

    def forward(self, features):
        return self.linear(features)


torch.manual_seed(0)
baseline = LinearBaseline(3)
featmat, returns = torch.randn(16, 3), torch.randn(16, 1)
baseline.fit(featmat, returns)
print("weight:", [round(v, 4) for v in baseline.linear.weight.flatten().tolist()])
