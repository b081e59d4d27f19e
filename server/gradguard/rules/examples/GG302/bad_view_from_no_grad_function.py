"""A `@torch.no_grad()` helper returns a row view; the caller changes it with grad mode on."""
import torch


@torch.no_grad()
def first_row(t):
    return t[0]


x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x * 2
row = first_row(h)
row += 1  # expect GG302; torch raises: A view was created in no_grad mode and is being modified inplace with grad mode enabled
h.sum().backward()
print("row:", row.tolist())
print("x.grad:", x.grad.tolist())
