import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.tanh(x)
alias = y.detach()
alias.zero_()  # expect GG201
y.sum().backward()
