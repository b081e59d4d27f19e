"""A penalty term subtracts its margin in place from the norms that `norm` saved as its output.

A function named for a penalty computes a term of the training loss (a gradient penalty, a smoothness penalty):
its inputs require grad there even when no caller in the file shows it.
"""
import torch


def smoothness_penalty(offsets, margin):
    norms = torch.linalg.norm(offsets[1:] - offsets[:-1], dim=-1)
    norms -= margin  # expect GG201
    return norms.clamp(min=0).pow(2).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    offsets = torch.randn(6, 3, requires_grad=True)
    penalty = smoothness_penalty(offsets, 0.5)
    penalty.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", offsets.grad)
