"""`first = torch.relu(first)` where `first, second = torch.chunk(h, 2)`."""
import torch

x = torch.tensor([-1.0, 2.0, 3.0, -4.0], requires_grad=True)
h = x * 1.5
first, second = torch.chunk(h, 2)
first = torch.relu(first)
loss = (first + second).sum()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
