"""`x += 1` on a tensor created with `requires_grad=True`.

`x` is a leaf: autograd accumulates its gradient in `x.grad`. Changing it in place with grad mode on
would make that gradient meaningless, so torch refuses at the `+=` itself, not later at backward().
"""
import torch

w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
x += 1  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
