"""`y *= 2` after `y = torch.tanh(x)`: tanh saved its output ((1 - y**2) is its derivative)."""
import torch

x = torch.tensor([0.5, -0.5, 1.0], requires_grad=True)
y = torch.tanh(x)
y *= 2  # expect GG201
loss = y.sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
