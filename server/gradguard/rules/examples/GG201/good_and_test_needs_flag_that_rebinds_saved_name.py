"""The change runs under `not self.deformable and self.modulate`, where the name holds a new tensor.

`raw = self.ref_head(embed)` saves `embed`; `if not self.deformable: embed = embed * scale(out)` puts a new
tensor in the name; `if not self.deformable and self.modulate: embed[..., 2:] *= w` needs the same flag
false, so it always changes the new tensor, which nothing saved (DINO's decoder): built either way it runs.
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
        if not self.deformable and self.modulate:
            embed[..., 4:] *= 2
        return raw + embed[..., :4]


def build_decoder():
    return Decoder(deformable=True, modulate=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    for decoder in (build_decoder(), Decoder(deformable=False, modulate=True)):
        decoder(torch.randn(3, 4), torch.randn(3, 4, requires_grad=True)).sum().backward()
    print("ok")
