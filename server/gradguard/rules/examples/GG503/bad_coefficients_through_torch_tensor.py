"""A polynomial helper copies its coefficients with `torch.tensor(coef, dtype=torch.float)`.

`torch.tensor` of a tensor is a new leaf without its graph (torch warns to use clone().detach()): the result
depends on nothing that requires grad, and backward() has nothing to differentiate.
"""
import torch


def polyval(coef, x):
    coef = torch.tensor(coef, dtype=torch.float)
    x = torch.as_tensor(x, dtype=torch.float)
    ans = coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


coef = torch.tensor([1.0, 2.0, 3.0])
coef.requires_grad = True
x = torch.tensor([0.5, -1.0])
result = polyval(coef, x)
result.mean().backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("coef.grad:", coef.grad.tolist())
