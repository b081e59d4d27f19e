"""The same scaling on `factors[b].clone()` put back in the list: the U that svd saved is left alone."""
import torch

torch.manual_seed(0)
x = torch.randn(2, 4, 3, requires_grad=True)
factors = []
for b in range(2):
    u, s, vh = torch.linalg.svd(x[b], full_matrices=False)
    factors.append(u)
for b in range(2):
    factors[b] = factors[b].clone()
    factors[b] *= 2.0
loss = torch.stack([factors[b] for b in range(2)]).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad[0, 0]:", [round(v, 4) for v in x.grad[0, 0].tolist()])
