"""`torch.enable_grad()` inside `torch.no_grad()` turns grad mode back on.

The loss is computed inside `enable_grad` on purpose, but the update sits in the same block, so grad
mode is on at the `-=` and torch refuses to change the leaf.
"""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([0.5, -1.0])
with torch.no_grad():
    with torch.enable_grad():
        loss = ((w * x).sum() - 2.0) ** 2
        loss.backward()
        w -= 0.1 * w.grad  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
print("loss:", loss.item())
print("w:", [round(v, 4) for v in w.tolist()])
