"""Right singular vectors sign-fixed with `res.V.mul_(signs)` after `torch.svd` kept them for backward.

torch.svd returns a named tuple (U, S, V) and its backward needs all three; changing V in place through the
tuple's `.V` field bumps its version as much as `U, S, V = torch.svd(x)` then `V.mul_(...)` would.
"""
import torch

torch.manual_seed(0)
x = torch.randn(5, 3, requires_grad=True)
res = torch.svd(x)
signs = torch.sign(res.V[0].detach())
res.V.mul_(signs)  # expect GG201
proj = x @ res.V
proj.pow(2).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("proj[0]:", [round(v, 4) for v in proj[0].tolist()])
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
