"""A fast in-place path taken only when nothing records a graph, chosen by a predicate helper.

`_fast_path_ok(x)` returns `... and not (torch.is_grad_enabled() and x.requires_grad)`: the in-place
normalisation runs only when no backward() can follow (evaluation, `torch.no_grad()`); training takes the
out-of-place path.
"""
import torch
import torch.nn as nn


def _fast_path_ok(x):
    return x.is_contiguous() and not (torch.is_grad_enabled() and x.requires_grad)


def normalized_energy(x):
    if _fast_path_ok(x):
        e = torch.exp(x)
        return e.div_(e.sum())
    e = torch.exp(x)
    return e / e.sum()


class Energy(nn.Module):
    def forward(self, x):
        return normalized_energy(x)


if __name__ == "__main__":
    scores = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    (Energy()(scores) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    with torch.no_grad():
        fast = Energy()(scores)
    print("grad:", [round(v, 4) for v in scores.grad.tolist()], "fast:", [round(v, 4) for v in fast.tolist()])
