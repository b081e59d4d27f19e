"""Gradients taken with `autograd.grad(loss, x_in)` several times, then pushed back from `x_in` to `x`.

Guided diffusion (disco diffusion's CLIP guidance): each cut's loss is differentiated with respect to `x_in` only,
which runs the part of the graph between the loss and `x_in` and frees only that part; what made `x_in` from `x`
is still whole, so `autograd.grad(x_in, x, x_in_grad)` goes through it once.
"""
import torch
import torch.nn as nn


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(4, 4)
    x = torch.randn(2, 4).requires_grad_()
    pred = (x - 0.5 * model(x)) / 0.8
    x_in = pred * 0.3 + x * 0.7
    x_in_grad = torch.zeros_like(x_in)
    for cut in range(3):
        loss = (x_in * torch.randn(2, 4)).pow(2).sum()
        x_in_grad += torch.autograd.grad(loss, x_in)[0]
    range_loss = pred.pow(2).sum() + x_in.abs().sum()
    x_in_grad += torch.autograd.grad(range_loss, x_in)[0]
    grad = -torch.autograd.grad(x_in, x, x_in_grad)[0]
    print("grad norm:", round(grad.norm().item(), 4))
