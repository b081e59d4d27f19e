"""The region token is put back with `torch.cat`: the view of `x` the LayerNorm saved is left alone.

Same block and model as the bad twin; only the write-back differs.
"""
import torch
import torch.nn as nn


class LocalGlobalBlock(nn.Module):
    def __init__(self, dim, first_attn=True):
        super().__init__()
        self.first_attn = first_attn
        self.local = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.mix = nn.Linear(dim, dim)

    def forward(self, x):
        if self.first_attn:
            x = x + self.local(x)
        token = x[:, 0]
        token = token + self.mix(self.norm(token))
        x = torch.cat([token.unsqueeze(1), x[:, 1:]], dim=1)
        return x


class RegionModel(nn.Module):
    def __init__(self, dim=8, depth=2, first_attn=True):
        super().__init__()
        self.blocks = nn.ModuleList([LocalGlobalBlock(dim, first_attn=first_attn) for _ in range(depth)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RegionModel()
    out = model(torch.randn(6, 5, 8))
    out.sum().backward()
    print("grad norm:", round(model.blocks[0].mix.weight.grad.norm().item(), 4))
