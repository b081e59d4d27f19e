"""The same product, the helper's result written into a copy of `q`: the saved `q` stays as it was."""
import torch


def shift(t):
    return t + 1


def scores(q, w):
    y = q * w
    q = q.clone()
    q[:, 1:] = shift(q[:, 1:])
    return y + q


torch.manual_seed(0)
q0 = torch.randn(2, 3, requires_grad=True)
w = torch.randn(2, 3, requires_grad=True)
scores(q0 * 1, w).sum().backward()
print([round(v, 4) for v in w.grad.flatten().tolist()])
