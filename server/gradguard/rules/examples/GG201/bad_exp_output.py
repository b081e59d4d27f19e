"""`y.add_(1)` after `y = x.exp()`: exp saved its output.

A hand-written softplus, `log(1 + exp(x))`. The derivative of exp is exp itself, so autograd keeps
the output; `add_` changes it.
"""
import torch

x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
y = x.exp()
y.add_(1)  # expect GG201
out = y.log().sum()
out.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("softplus sum:", round(out.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
