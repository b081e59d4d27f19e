"""`torch.autograd.grad(y, x)` with a vector `y` and no `grad_outputs`."""
import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = torch.sigmoid(x)
(g,) = torch.autograd.grad(y, x)  # expect GG504; torch raises: grad can be implicitly created only for scalar outputs
print("dy/dx:", [round(v, 4) for v in g.tolist()])
