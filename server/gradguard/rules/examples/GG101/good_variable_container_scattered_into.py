"""The same allocation into a plain `Variable` (no `requires_grad`): a tensor outside the graph.

`Variable(t)` is `t.detach()` under torch 0.4 and later. Scattering weights that require grad into it in place is
fine: the result joins the graph through `scatter_`'s source, and the gradient reaches `usage`.
"""
import torch
from torch.autograd import Variable

torch.manual_seed(0)
usage = torch.rand(2, 4, requires_grad=True)
free_list = usage.argsort(dim=1)
weights = (1 - usage).gather(1, free_list)
container = Variable(usage.data.new(8).fill_(0)).cpu()
container.scatter_(0, free_list.view(-1), weights.view(-1))
container.sum().backward()
print("usage grad:", usage.grad.tolist())
