"""`x.data.mul_(10)` between the forward pass and backward(): pow saved `x`.

`.data` is the same memory as `x` without autograd's version counter, so torch cannot notice the
change: backward() computes `2 * x` from the new values. No error, a wrong gradient; the assert at
the end proves it.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
true_grad = 2 * x.detach().clone()
x.data.mul_(10)  # expect GG401
loss.backward()
print("loss:", loss.item())
print("x:", x.tolist())
print("x.grad:", x.grad.tolist())
assert not torch.equal(x.grad, true_grad)  # silently wrong: computed from the changed x
