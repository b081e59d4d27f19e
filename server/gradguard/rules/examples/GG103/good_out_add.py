"""`c = torch.add(a, b)`: assign the result instead of writing it into a buffer."""
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
c = torch.empty(2)
c = torch.add(a, b)
loss = (c * c).sum()
loss.backward()
print("loss:", loss.item())
print("a.grad:", a.grad.tolist())
