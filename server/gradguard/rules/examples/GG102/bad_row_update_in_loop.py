"""`x[i] *= 2` for each row in a `for` loop, on a leaf that requires grad."""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
leaf = x
for i in range(x.shape[0]):
    x[i] *= i + 1  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
loss = x.sum()
loss.backward()
print("x:", x.tolist())
print("leaf.grad:", leaf.grad.tolist())
