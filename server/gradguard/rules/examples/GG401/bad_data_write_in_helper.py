"""A helper that jitters its argument through `.data`, called between forward and backward()."""
import torch


def jitter(t):
    t.data.add_(0.1)


x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 3).sum()
true_grad = 3 * x.detach() ** 2
jitter(x)  # expect GG401
y.backward()
print("y:", round(y.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
assert not torch.allclose(x.grad, true_grad)  # silently wrong
