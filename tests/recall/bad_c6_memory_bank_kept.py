"""Category 6: a memory bank keeps features with their graph across iterations (no detach)."""
import torch
from torch import nn


class MemoryContrast(nn.Module):
    def __init__(self, dim, size=8):
        super().__init__()
        self.enc = nn.Linear(dim, dim)
        self.size = size
        self.bank = None

    def forward(self, x):
        z = nn.functional.normalize(self.enc(x), dim=-1)
        logits = z @ (self.bank.t() if self.bank is not None else z.t())
        self.bank = z if self.bank is None else torch.cat([self.bank, z])[-self.size:]  # BUG
        return logits.logsumexp(-1).mean()


model = MemoryContrast(4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(2):
    loss = model(torch.randn(3, 4))
    opt.zero_grad()
    loss.backward()
    opt.step()
