"""Manual SGD step `w -= lr * w.grad` inside `torch.no_grad()`.

Under no_grad the in-place update of the leaf is not recorded by autograd, which is exactly what a
parameter update wants.
"""
import torch

w = torch.tensor([1.0, -2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
lr = 0.01
for step in range(3):
    loss = ((w * x).sum() - 1.0) ** 2
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
    w.grad.zero_()
    print("step", step, "loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
