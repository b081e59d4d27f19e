"""Reading a saved tensor through NumPy (for logging) without writing to it."""
import numpy as np
import torch

x = torch.tensor([0.5, 1.0], requires_grad=True)
y = torch.sigmoid(x)
arr = y.detach().numpy()
print("mean activation:", round(float(np.mean(arr)), 4))
y.sum().backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
