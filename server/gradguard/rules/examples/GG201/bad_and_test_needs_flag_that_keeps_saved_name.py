"""The change runs under `self.deformable and self.modulate`, where the name holds the saved tensor.

`raw = self.ref_head(embed)` saves `embed`; `if not self.deformable:` puts a new tensor in the name, but
`if self.deformable and self.modulate: embed[..., 4:] *= 2` needs the flag true, where the name keeps the
tensor `ref_head` saved: built with both flags on, backward() raises.
"""
import torch
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, deformable=False, modulate=False):
        super().__init__()
        self.deformable = deformable
        self.modulate = modulate
        self.ref_head = nn.Linear(8, 4)
        self.scale = nn.Linear(4, 8)

    def forward(self, out, ref):
        if self.deformable:
            embed = torch.cat([ref, ref], -1)
        else:
            embed = torch.cat([ref, -ref], -1)
        raw = self.ref_head(embed)
        if not self.deformable:
            embed = embed * self.scale(out)
        if self.deformable and self.modulate:
            embed[..., 4:] *= 2  # expect GG201
        return raw + embed[..., :4]


def build_decoder():
    return Decoder(deformable=True, modulate=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    loss = build_decoder()(torch.randn(3, 4), torch.randn(3, 4, requires_grad=True)).sum()
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
