"""The same block putting the token back with `torch.cat`: a new tensor, the saved view stays."""
import torch
import torch.nn as nn


class RegionBlock(nn.Module):
    def __init__(self, dim, mode="self"):
        super().__init__()
        self.mode = mode
        self.local = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.mix = nn.Linear(dim, dim)

    def forward(self, x):
        if self.mode == "self":
            x = x + self.local(x)
        msg = x[:, 0]
        msg = msg + self.mix(self.norm(msg))
        x = torch.cat([msg.unsqueeze(1), x[:, 1:]], dim=1)
        return x


class Net(nn.Module):
    def __init__(self, dim, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList([RegionBlock(dim) for _ in range(depth)])

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        return x


torch.manual_seed(0)
net = Net(8)
out = net(torch.randn(3, 4, 8))
out.sum().backward()
print("out:", [round(v, 4) for v in out[0, 0, :4].tolist()])
print("local.weight.grad:", [round(v, 4) for v in net.blocks[0].local.weight.grad[0, :4].tolist()])
