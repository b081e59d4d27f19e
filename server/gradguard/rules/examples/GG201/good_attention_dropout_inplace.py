"""`F.dropout(attn, inplace=False)` on attention weights."""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
q = torch.randn(3, 4, requires_grad=True)
k = torch.randn(3, 4, requires_grad=True)
v = torch.randn(3, 4, requires_grad=True)
attn = torch.softmax(q @ k.T / 2.0, dim=-1)
attn = F.dropout(attn, p=0.5, training=True, inplace=False)
out = attn @ v
out.sum().backward()
print("out sum:", round(out.sum().item(), 4))
print("v.grad:", [[round(x, 4) for x in row] for row in v.grad.tolist()])
