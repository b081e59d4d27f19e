"""A helper `center(t)` that returns `t - t.mean()`, a new tensor."""
import torch


def center(t):
    t = t - t.mean()
    return t


x = torch.tensor([0.0, 1.0, -1.0, 2.0], requires_grad=True)
y = torch.sigmoid(x)
y = center(y)
loss = (y ** 2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
