"""`torch.set_grad_enabled(training)` with `training = True` around a weight projection.

The projection onto non-negative weights should be invisible to autograd, but `training` is True, so
grad mode is on inside the block.
"""
import torch

training = True
w = torch.tensor([0.5, -0.3, 0.8], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
loss = ((w * x).sum() - 1.0) ** 2
loss.backward()
with torch.set_grad_enabled(training):
    w.clamp_(min=0.0)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
