"""An SGD step in a function decorated with `@torch.no_grad()`.

The decorator turns grad mode off for the whole body, so the in-place updates of the parameters are
fine.
"""
import torch


@torch.no_grad()
def sgd_step(params, lr):
    for p in params:
        p -= lr * p.grad
        p.grad.zero_()


w = torch.tensor([1.0, -1.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
x = torch.tensor([2.0, 3.0])
for _ in range(3):
    loss = ((w * x).sum() + b - 1.0) ** 2
    loss.backward()
    sgd_step([w, b], lr=0.01)
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()], "b:", round(b.item(), 4))
