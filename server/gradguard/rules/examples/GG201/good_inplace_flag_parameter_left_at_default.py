"""A block's in-place form, chosen by an `inplace_safe=False` parameter, left off by training.

OpenFold's blocks write their updates in place only when the caller passes `inplace_safe=True`, which its model does
only with grad off; training calls them with the default, out-of-place form.
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
block(h).sum().backward()
with torch.no_grad():
    out = block(torch.tanh(torch.randn(3, 4)), inplace_safe=True)
print("inference:", out.shape)
