import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y.sum().backward()
y.data.mul_(2)
with torch.no_grad():
    y.mul_(2)
    x.add_(1)
arr = x.detach().numpy()
arr *= 3
print(x.grad)
