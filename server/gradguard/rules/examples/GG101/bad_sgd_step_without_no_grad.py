"""Manual SGD step `w -= lr * w.grad` with grad mode still on.

The update is meant to be invisible to autograd, but nothing says so: torch sees an in-place change of
a leaf that requires grad and raises at the update.
"""
import torch

w = torch.tensor([1.0, -2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
lr = 0.01
for step in range(3):
    loss = ((w * x).sum() - 1.0) ** 2
    loss.backward()
    w -= lr * w.grad  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
    w.grad.zero_()
    print("step", step, "loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
