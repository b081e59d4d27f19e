"""An index tensor shifted out of place after it picked entries: the kept indices are unchanged.

`edge_index = edge_index + shift` makes a new tensor; the one `flat[...]` kept for backward stays as it was.
"""
import torch

torch.manual_seed(0)
adj = torch.rand(2, 3, 3, requires_grad=True)
flat = adj.view(-1, 3)
edge_index = flat.nonzero().t()
edge_attr = flat[edge_index[0], edge_index[1]]
edge_index = edge_index + torch.tensor([[0], [3]])
edge_attr.sum().backward()
print("adj.grad sum:", adj.grad.sum().item())
