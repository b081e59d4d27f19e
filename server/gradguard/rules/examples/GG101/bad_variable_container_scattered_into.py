"""A container made as `Variable(t, requires_grad=True)`, then `scatter_` into it: a leaf changed.

Code written for torch < 0.4 wraps tensors in `Variable`; with `requires_grad=True` the result is a leaf that
requires grad (`.cpu()` of a tensor already on the CPU is that same leaf). Scattering the weights into it in place
is refused at the `scatter_` itself.
"""
import torch
from torch.autograd import Variable

torch.manual_seed(0)
usage = torch.rand(2, 4, requires_grad=True)
free_list = usage.argsort(dim=1)
weights = (1 - usage).gather(1, free_list)
container = Variable(usage.data.new(8).fill_(0), requires_grad=True).cpu()
container.scatter_(0, free_list.view(-1), weights.view(-1))  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
container.sum().backward()
print("usage grad:", usage.grad.tolist())
