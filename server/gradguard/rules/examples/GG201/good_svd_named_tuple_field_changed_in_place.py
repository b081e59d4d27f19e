"""The same sign fix with `V = res.V * signs`: svd's saved V is left alone."""
import torch

torch.manual_seed(0)
x = torch.randn(5, 3, requires_grad=True)
res = torch.svd(x)
signs = torch.sign(res.V[0].detach())
V = res.V * signs
proj = x @ V
proj.pow(2).sum().backward()
print("proj[0]:", [round(v, 4) for v in proj[0].tolist()])
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
