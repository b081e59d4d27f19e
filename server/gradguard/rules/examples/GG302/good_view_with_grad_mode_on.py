"""Views taken with grad mode on and changed in place: autograd records both."""
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
h = x * 2
head = h[:2]
head.mul_(0.5)
tail = h[2:]
tail[0] = 0
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
