"""`x.data.mul_(10)` after backward(): the gradient is computed from the values the loss used."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x ** 2).sum()
true_grad = 2 * x.detach().clone()
loss.backward()
x.data.mul_(10)
print("loss:", loss.item())
print("x:", x.tolist())
print("x.grad:", x.grad.tolist())
assert torch.equal(x.grad, true_grad)
