"""A helper halves a Tanh output out of place and returns it: autograd sees the scale."""
import torch


def halve(delta):
    delta = delta * 0.5
    return delta


def loss_of(w, x, rescale):
    delta = torch.tanh(x @ w)
    delta = rescale(delta)
    return (delta ** 2).sum()


torch.manual_seed(0)
x = torch.randn(4, 3)
w = torch.randn(3, 3, requires_grad=True)
loss = loss_of(w, x, halve)
loss.backward()
reference = w.detach().clone().requires_grad_()
loss_of(reference, x, lambda d: d * 0.5).backward()
print("loss:", round(loss.item(), 4))
print("w.grad[0]:", [round(v, 4) for v in w.grad[0].tolist()])
assert torch.allclose(w.grad, reference.grad)
