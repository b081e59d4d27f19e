"""The angle columns given as a list, `x[:, angle_dims]`: a copy, which `sin` keeps apart from `x`.

neural_clbf's `normalize_with_angles` does this. Indexing with a list of ints copies, so `sin` keeps a tensor of its
own and the write into `x` leaves it alone. A name that says it holds several positions (`angle_dims`,
`keep_indices`, `sel_ids`) is read as such an index.
"""
import torch

torch.manual_seed(0)


def normalize_with_angles(x, angle_dims):
    x = x * 2.0
    angles = x[:, angle_dims]
    x[:, angle_dims] = torch.sin(angles)
    return torch.cat((x, torch.cos(angles)), dim=-1)


w = torch.randn(4, 3, requires_grad=True)
out = normalize_with_angles(w, torch.tensor([1]).tolist())
out.sum().backward()
print("w.grad:", [round(v, 4) for v in w.grad.flatten().tolist()])
