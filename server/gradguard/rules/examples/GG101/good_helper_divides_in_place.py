"""A helper that normalizes with `v = v / v.sum()`, returning a new tensor."""
import torch


def normalize(v, enabled):
    if enabled:
        v = v / v.sum()
    return v


probs = torch.tensor([1.0, 3.0], requires_grad=True)
p = normalize(probs, True)
loss = (p * torch.tensor([2.0, 1.0])).sum()
loss.backward()
print("p:", p.tolist())
print("probs.grad:", [round(v, 4) for v in probs.grad.tolist()])
