"""One angle column replaced by its sine in place: `x[:, angle_dim] = torch.sin(x[:, angle_dim])`.

`x[:, angle_dim]` with one int is a view of `x`, and `sin` keeps its input for backward: writing the column through
`x` changes the tensor `sin` saved, and backward() raises. The column number comes from code the walk cannot read
(`.item()`): an index it knows nothing about is most often one int.
"""
import torch

torch.manual_seed(0)


def normalize_with_angles(x, angle_dim):
    x = x * 2.0
    angles = x[:, angle_dim]
    x[:, angle_dim] = torch.sin(angles)  # expect GG201
    return torch.cat((x, torch.cos(angles).unsqueeze(-1)), dim=-1)


w = torch.randn(4, 3, requires_grad=True)
out = normalize_with_angles(w, torch.tensor(1).item())
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("w.grad:", [round(v, 4) for v in w.grad.flatten().tolist()])
