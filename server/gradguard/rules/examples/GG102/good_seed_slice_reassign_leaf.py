"""Clone the leaf, then write the updated rows into the clone."""
import torch

x = torch.arange(8.0).reshape(4, 2).requires_grad_()
x = x.clone()
x[:2, :] = x[:2, :] + 1
y = x.sum()
y.backward()
print("y:", y.item())
