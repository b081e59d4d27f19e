import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = x.exp()
z = y * y
y.masked_fill_(y > 2.0, 2.0)  # expect GG201
z.sum().backward()
