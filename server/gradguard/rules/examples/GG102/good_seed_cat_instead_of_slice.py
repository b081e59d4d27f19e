"""Seed article: build the tensor with `torch.cat` instead of assigning into a slice."""
import torch

torch.manual_seed(0)
x = torch.randn(1, 4, requires_grad=True)
y = torch.randn(2, 4)
combined_tensor = torch.cat((x, y), dim=0)
z = combined_tensor.sum()
z.backward()
print("z:", round(z.item(), 4))
print("x.grad:", x.grad.tolist())
