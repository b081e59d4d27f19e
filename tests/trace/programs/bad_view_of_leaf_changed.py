import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
head = w[:2]
head.mul_(2)  # expect GG102
