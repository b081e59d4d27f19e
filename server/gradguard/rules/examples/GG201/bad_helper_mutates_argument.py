"""A helper `center(t)` that does `t -= t.mean()`, called on a sigmoid output.

The helper returns its argument after changing it in place. gradguard reports the helper's line, with the
call that hands it a saved tensor as related information; torch raises at backward().
"""
import torch


def center(t):
    t -= t.mean()  # expect GG201
    return t


x = torch.tensor([0.0, 1.0, -1.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y = center(y)
loss = (y ** 2).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
