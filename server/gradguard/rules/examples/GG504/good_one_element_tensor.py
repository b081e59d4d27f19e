"""backward() on a tensor of shape (1, 1) runs clean: one element is enough.

The rule is about the number of elements, not the number of dimensions.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum().reshape(1, 1)
y.backward()
print("x.grad:", x.grad.tolist())
