"""U factors of per-block svds kept in a list, then scaled in place by index: each svd kept its U."""
import torch

torch.manual_seed(0)
x = torch.randn(2, 4, 3, requires_grad=True)
factors = []
for b in range(2):
    u, s, vh = torch.linalg.svd(x[b], full_matrices=False)
    factors.append(u)
for b in range(2):
    factors[b] *= 2.0  # expect GG201
loss = torch.stack([factors[b] for b in range(2)]).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad[0, 0]:", [round(v, 4) for v in x.grad[0, 0].tolist()])
