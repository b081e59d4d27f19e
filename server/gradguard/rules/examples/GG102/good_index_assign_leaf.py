"""Clone the leaf, then assign through an integer index."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
x = x.clone()
x[0] = 0.0
loss = (x ** 2).sum()
loss.backward()
print("loss:", loss.item())
