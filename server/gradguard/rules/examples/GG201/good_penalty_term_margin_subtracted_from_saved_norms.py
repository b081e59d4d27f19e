"""The penalty term subtracts its margin out of place: `norm`'s output stays as it saved it."""
import torch


def smoothness_penalty(offsets, margin):
    norms = torch.linalg.norm(offsets[1:] - offsets[:-1], dim=-1)
    norms = norms - margin
    return norms.clamp(min=0).pow(2).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    offsets = torch.randn(6, 3, requires_grad=True)
    penalty = smoothness_penalty(offsets, 0.5)
    penalty.backward()
    print("grad:", offsets.grad)
