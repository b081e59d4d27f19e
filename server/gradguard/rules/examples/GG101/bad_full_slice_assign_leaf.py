"""`x[:] = values` on a tensor created with `requires_grad=True`.

An index that takes all of `x` (`:`, `...`) makes torch write into `x` itself rather than into a view of it, so it
refuses with the leaf message (a partial slice such as `x[1:]` gets the "view of a leaf" one, GG102).
"""
import torch

x = torch.zeros(3, requires_grad=True)
x[:] = torch.tensor([1.0, 2.0, 3.0])  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
loss = (x * x).sum()
loss.backward()
print("x.grad:", x.grad.tolist())
