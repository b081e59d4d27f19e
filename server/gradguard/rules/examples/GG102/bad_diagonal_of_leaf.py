"""`w.diagonal().zero_()` on a square parameter: an in-place op on a view of a leaf."""
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
x = torch.tensor([1.0, 1.0])
w.diagonal().zero_()  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
y = (w @ x).sum()
y.backward()
print("y:", y.item())
print("w.grad:", w.grad.tolist())
