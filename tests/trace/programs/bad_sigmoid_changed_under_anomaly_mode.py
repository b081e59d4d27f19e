import torch

torch.autograd.set_detect_anomaly(True)
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)  # expect GG201
y.sum().backward()
