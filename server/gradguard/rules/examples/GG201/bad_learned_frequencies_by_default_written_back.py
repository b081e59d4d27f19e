"""Rotary-style attention, frequencies a parameter by default; the rotated query is written back.

`learned=True` (the default) makes the frequencies an `nn.Parameter`; `learned=False` a fixed buffer. With the
parameter, `q[:, 1:] * freqs` keeps the query slice for backward (the frequencies require grad), and writing the
product back into `q` changes that slice: backward() raises. Built with `learned=False`, `mul` keeps only the
frequencies and the same code runs.
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
        q[:, 1:] = q[:, 1:] * freqs  # expect GG201
        return torch.tanh(q @ k.transpose(-2, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = RotaryAttention(4)
    out = attn(torch.randn(2, 3, 4))
    out.sum().backward()  # torch raises: modified by an inplace operation
    print("freqs.grad:", [round(v, 4) for v in attn.freqs.grad.tolist()])
