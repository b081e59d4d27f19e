"""A codebook updated through `.data` after a loss on the `einsum` distances themselves (`d.min(1)`).

Unlike indices from `argmin`, the smallest distances carry the graph of `einsum`, which keeps the codebook for
backward. Writing the codebook through `.data` before backward() makes backward() use the new codebook: the
encoder's gradient is silently wrong.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
encoder = nn.Linear(3, 4)
codebook = nn.Parameter(F.normalize(torch.randn(6, 4), dim=-1), requires_grad=False)
x = torch.randn(5, 3)


def commitment(z, update):
    d = z.pow(2).sum(1, keepdim=True) + codebook.pow(2).sum(1) - 2 * torch.einsum("bd,nd->bn", z, codebook)
    loss = d.min(dim=1).values.mean()
    if update:
        codebook.data.mul_(0.5).add_(torch.randn(6, 4), alpha=0.5)  # expect GG401
    return loss


saved = codebook.detach().clone()
commitment(encoder(x), True).backward()
wrong = encoder.weight.grad.clone()
encoder.weight.grad = None
codebook.data.copy_(saved)
commitment(encoder(x), False).backward()
print("grad with the write:", round(wrong.norm().item(), 4), "without:", round(encoder.weight.grad.norm().item(), 4))
assert not torch.allclose(wrong, encoder.weight.grad)  # silently wrong: backward() used the changed codebook
