"""An index tensor shifted in place after it picked entries of a tensor that requires grad.

`flat[edge_index[0], edge_index[1]]` keeps its index tensors for backward (IndexBackward0 scatters the gradient
back through them), and `edge_index[1] += offset` changes them (pytorch_geometric's `dense_to_sparse`).
"""
import torch

torch.manual_seed(0)
adj = torch.rand(2, 3, 3, requires_grad=True)
flat = adj.view(-1, 3)
edge_index = flat.nonzero().t()
edge_attr = flat[edge_index[0], edge_index[1]]
edge_index[1] += 3  # expect GG201
edge_attr.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("adj.grad sum:", adj.grad.sum().item())
