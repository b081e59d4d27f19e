"""`p.data.add_(-lr * p.grad)` after backward(), before the next forward pass.

Old-style SGD through `.data`: no graph is waiting for the parameters when they change.
"""
import torch

w = torch.tensor([2.0, -1.0], requires_grad=True)
x = torch.tensor([1.0, 3.0])
for _ in range(3):
    loss = ((w * x).sum() - 1.0) ** 2
    loss.backward()
    w.data.add_(-0.05 * w.grad)
    w.grad.zero_()
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
