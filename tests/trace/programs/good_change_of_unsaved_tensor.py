import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
a = x * 2
b = a + 1
a.mul_(3)
c = b.sum()
c.backward()
print(x.grad)
