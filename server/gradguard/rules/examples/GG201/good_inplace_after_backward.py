"""`y += 1` on a sigmoid output after backward() has already used it.

Once the backward pass is done nothing waits for the saved value any more.
"""
import torch

x = torch.tensor([0.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y.sum().backward()
y += 1
print("y:", [round(v, 4) for v in y.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
