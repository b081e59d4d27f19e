"""`y[0] = 0.0` after `y = torch.exp(x)`: an indexed write into a saved output."""
import torch

x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = torch.exp(x)
y[0] = 0.0  # expect GG201
loss = y.sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("y:", [round(v, 4) for v in y.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
