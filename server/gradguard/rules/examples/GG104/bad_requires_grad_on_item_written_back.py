"""Each row of a tensor made a leaf, then a computed row written back: the next row is no leaf.

`rows[i] = row * w` puts a graph into `rows` (CopySlices): from the second iteration on `rows[i].clone()` has a
grad_fn, and setting its flag is refused. (A dict of tensors stored back by key does not do this:
good_requires_grad_on_dict_items_stored_back.py.)
"""
import torch

torch.manual_seed(0)


def make_leaves(rows, w):
    for i in range(rows.shape[0]):
        row = rows[i].clone()
        row.requires_grad = True  # expect GG104; torch raises: you can only change requires_grad flags of leaf variables
        rows[i] = row * w
    return rows


print(make_leaves(torch.randn(3, 2), torch.ones(2, requires_grad=True)))
