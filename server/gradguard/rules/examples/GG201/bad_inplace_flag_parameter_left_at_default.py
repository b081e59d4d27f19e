"""A block's in-place form, chosen by an `inplace_safe=False` parameter, that training turns on.

Training passes `inplace_safe=True`: the copy overwrites the layer norm's input, which it saved for backward.
"""
import torch
import torch.nn as nn


class RecyclingEmbedder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer_norm = nn.LayerNorm(c)
        self.linear = nn.Linear(c, c)

    def forward(self, m: torch.Tensor, inplace_safe: bool = False) -> torch.Tensor:
        m_update = self.layer_norm(m)
        if inplace_safe:
            m.copy_(m_update)
            m_update = m
        return self.linear(m_update)


torch.manual_seed(0)
block = RecyclingEmbedder(4)
h = torch.tanh(torch.randn(3, 4, requires_grad=True))
block(h, inplace_safe=True).sum().backward()  # expect GG201; torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
with torch.no_grad():
    out = block(torch.tanh(torch.randn(3, 4)), inplace_safe=True)
print("inference:", out.shape)
