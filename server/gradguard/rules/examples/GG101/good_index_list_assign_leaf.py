"""Clone the leaf, then assign through a list index.

`x.clone()` is a new tensor (not a leaf) that shares no memory with the original; changing it is fine
and the gradient still reaches the leaf through the clone.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
x = x.clone()
x[[0, 2]] = 0
loss = (x * x).sum()
loss.backward()
print("loss:", loss.item())
