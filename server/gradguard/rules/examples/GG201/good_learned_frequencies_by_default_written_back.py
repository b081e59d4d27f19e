"""The same attention builds the rotated query anew instead of writing it back.

`torch.cat((q[:, :1], q[:, 1:] * freqs), dim=1)` leaves the slice that `mul` kept as it was, whichever
frequencies the module was built with.
"""
import torch
import torch.nn as nn


class RotaryAttention(nn.Module):
    def __init__(self, dim, learned=True):
        super().__init__()
        self.qk = nn.Linear(dim, 2 * dim)
        self.learned = learned
        if learned:
            self.freqs = nn.Parameter(torch.randn(dim))
        else:
            self.register_buffer("fixed_freqs", torch.linspace(0.1, 1.0, dim))

    def forward(self, x):
        B, N, D = x.shape
        qk = self.qk(x).reshape(B, N, 2, D).permute(2, 0, 1, 3)
        q, k = qk[0], qk[1]
        if self.learned:
            freqs = self.freqs
        else:
            freqs = self.fixed_freqs.to(x.device)
        freqs = freqs.view(1, 1, D)
        q = torch.cat((q[:, :1], q[:, 1:] * freqs), dim=1)
        return torch.tanh(q @ k.transpose(-2, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = RotaryAttention(4)
    out = attn(torch.randn(2, 3, 4))
    out.sum().backward()
    print("freqs.grad:", [round(v, 4) for v in attn.freqs.grad.tolist()])
