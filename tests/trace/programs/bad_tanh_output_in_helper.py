import torch


def squash(t):
    t.clamp_(-0.5, 0.5)  # expect GG201


x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
h = torch.tanh(x)
squash(h)
h.sum().backward()
