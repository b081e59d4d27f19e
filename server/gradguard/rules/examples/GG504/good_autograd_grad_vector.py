"""`torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y))` for a vector `y`."""
import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.sigmoid(x)
(g,) = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y))
print("dy/dx:", [round(v, 4) for v in g.tolist()])
