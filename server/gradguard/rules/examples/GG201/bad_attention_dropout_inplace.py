"""`F.dropout(attn, inplace=True)` on attention weights: softmax saved its output."""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
q = torch.randn(3, 4, requires_grad=True)
k = torch.randn(3, 4, requires_grad=True)
v = torch.randn(3, 4, requires_grad=True)
attn = torch.softmax(q @ k.T / 2.0, dim=-1)
attn = F.dropout(attn, p=0.5, training=True, inplace=True)  # expect GG201
out = attn @ v
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out sum:", round(out.sum().item(), 4))
print("v.grad:", [[round(x, 4) for x in row] for row in v.grad.tolist()])
