import torch

w = torch.randn(2, 6, requires_grad=True)
v = torch.randn(2, 3, requires_grad=True)
a = w * 1
prod = a[:, 0:3] * v  # saves the columns 0-2 of a: every row's run of 3, 6 apart
a.data[:, 3:6] += 1  # columns 3-5: the same rows, no element of the saved columns
a.data[:, 2:4] += 1  # expect GG401
prod.sum().backward()
print(v.grad)
