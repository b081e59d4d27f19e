"""A polynomial helper converts its coefficients with `torch.as_tensor(coef, dtype=torch.float)`.

For a float32 tensor that is the tensor itself, graph included: the result depends on `coef`, which requires grad,
so backward() reaches it.
"""
import torch


def polyval(coef, x):
    coef = torch.as_tensor(coef, dtype=torch.float)
    x = torch.as_tensor(x, dtype=torch.float)
    ans = coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


coef = torch.tensor([1.0, 2.0, 3.0])
coef.requires_grad = True
x = torch.tensor([0.5, -1.0])
result = polyval(coef, x)
result.mean().backward()
print("coef.grad:", coef.grad.tolist())
