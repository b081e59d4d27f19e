"""`autograd.grad(loss, x_in)` and then `autograd.grad(loss, x)`: the second runs the freed part again.

The first call runs, and frees, the graph between `loss` and `x_in`; differentiating the same `loss` with respect
to `x` goes through that part again (and on through what made `x_in`), which torch refuses.
"""
import torch
import torch.nn as nn


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(4, 4)
    x = torch.randn(2, 4).requires_grad_()
    x_in = torch.tanh(model(x))
    loss = (x_in * torch.randn(2, 4)).pow(2).sum()
    g_in = torch.autograd.grad(loss, x_in)[0]
    g_x = torch.autograd.grad(loss, x)[0]  # expect GG501; torch raises: Trying to backward through the graph a second time
    print(g_in.shape, g_x.shape)
