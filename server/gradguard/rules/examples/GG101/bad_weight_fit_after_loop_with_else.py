"""A least-squares fit copied into a layer weight after a retry loop whose `else` raises.

`for ...: try: solve; break / except: regularise more` with `else: raise`: the else block runs only when no
iteration broke out, so the line after the loop runs whenever the solve succeeded. There the weight, a parameter
that requires grad, is changed in place with grad mode on, and torch refuses at the `copy_` itself.
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
        self.linear.weight.copy_(coeffs.t())  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation

    def forward(self, features):
        return self.linear(features)


torch.manual_seed(0)
baseline = LinearBaseline(3)
featmat, returns = torch.randn(16, 3), torch.randn(16, 1)
baseline.fit(featmat, returns)
print("weight:", [round(v, 4) for v in baseline.linear.weight.flatten().tolist()])
