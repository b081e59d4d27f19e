"""A helper halves a Tanh output through `.data` and returns it: the helper's line is the bug.

`delta = halve(delta)` scales the generator's output with `.data *= 0.5`. The loss sees the halved values, but
backward() knows nothing of the scale (its factor 0.5 is missing) and TanhBackward computes 1 - y**2 from the
overwritten output: wrong gradients, no error.
"""
import torch


def halve(delta):
    delta.data *= 0.5  # expect GG401
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
assert not torch.allclose(w.grad, reference.grad)  # silently wrong
