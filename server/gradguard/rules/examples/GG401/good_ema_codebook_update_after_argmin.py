"""A VQ codebook updated by EMA through `.data` after `einsum` distances chose codes with `argmin`.

The distances `d` (an `einsum` that keeps the codebook for backward) only feed `argmin`, whose indices carry no
graph; the loss and the straight-through output go through `z` alone. So the `.data` write to the codebook
changes nothing a backward() will read: the gradients are the same as without the update.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def norm_ema_inplace(moving_avg, new, decay):
    moving_avg.data.mul_(decay).add_(new, alpha=1 - decay)
    moving_avg.data.copy_(F.normalize(moving_avg.data, p=2, dim=-1))


class Quantizer(nn.Module):
    def __init__(self, num_tokens=6, dim=4, decay=0.99):
        super().__init__()
        self.weight = nn.Parameter(F.normalize(torch.randn(num_tokens, dim), dim=-1), requires_grad=False)
        self.num_tokens = num_tokens
        self.decay = decay

    def forward(self, z):
        z = F.normalize(z, p=2, dim=-1)
        d = z.pow(2).sum(1, keepdim=True) + self.weight.pow(2).sum(1) - 2 * torch.einsum("bd,nd->bn", z, self.weight)
        indices = torch.argmin(d, dim=1)
        z_q = F.embedding(indices, self.weight)
        if self.training:
            encodings = F.one_hot(indices, self.num_tokens).type(z.dtype)
            norm_ema_inplace(self.weight, F.normalize((z.t() @ encodings).t(), dim=-1), self.decay)
        loss = F.mse_loss(z_q.detach(), z)
        z_q = z + (z_q - z).detach()
        return z_q, loss, indices


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = nn.Linear(3, 4)
    quantizer = Quantizer()
    x = torch.randn(5, 3)
    z_q, loss, indices = quantizer(encoder(x))
    (z_q.pow(2).sum() + loss).backward()
    print("codes:", indices.tolist(), "grad norm:", round(encoder.weight.grad.norm().item(), 4))
