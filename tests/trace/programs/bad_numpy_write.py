import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
arr = x.detach().numpy()
print("before the write")
arr *= 10  # expect GG402
loss.backward()
print(x.grad)
