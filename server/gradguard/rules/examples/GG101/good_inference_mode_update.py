"""An in-place change of a parameter inside `torch.inference_mode()`.

Inference mode switches autograd off like `no_grad` (and more); in-place ops on ordinary tensors are
allowed in it.
"""
import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.inference_mode():
    w.mul_(0.5)
loss = (w * w).sum()
loss.backward()
print("w:", w.tolist())
print("w.grad:", w.grad.tolist())
