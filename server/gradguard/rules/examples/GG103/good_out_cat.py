"""`joined = torch.cat([a, b])` with an input that requires grad."""
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0])
joined = torch.empty(3)
joined = torch.cat([a, b])
loss = (joined * torch.tensor([1.0, 2.0, 3.0])).sum()
loss.backward()
print("loss:", loss.item())
print("a.grad:", a.grad.tolist())
