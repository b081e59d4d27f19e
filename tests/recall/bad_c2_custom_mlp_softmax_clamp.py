"""Category 2: a custom router submodule ends in Softmax; the MoE layer clamps its output in place."""
import torch
from torch import nn


class Router(nn.Module):
    def __init__(self, dim, num_experts):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, num_experts), nn.Softmax(dim=-1))

    def forward(self, x):
        return self.net(x)


class TinyMoE(nn.Module):
    def __init__(self, dim=8, num_experts=4):
        super().__init__()
        self.router = Router(dim, num_experts)
        self.experts = nn.ModuleList([nn.Linear(dim, dim) for _ in range(num_experts)])

    def forward(self, x):
        probs = self.router(x)
        probs.clamp_(min=1e-4)  # BUG
        outs = torch.stack([e(x) for e in self.experts], dim=-1)
        return (outs * probs.unsqueeze(-2)).sum(-1)


if __name__ == "__main__":
    moe = TinyMoE()
    moe(torch.randn(5, 8)).pow(2).mean().backward()
