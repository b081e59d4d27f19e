"""A MoCo-style queue buffer filled in forward with detached keys: `self.queue[...] = keys.T.detach()`.

The buffer keeps the keys' values, not their graph; each step's backward() goes through its own graph only.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MoCo(nn.Module):
    def __init__(self, dim=4, size=8):
        super().__init__()
        self.encoder_q = nn.Linear(5, dim)
        self.encoder_k = nn.Linear(5, dim)
        self.size = size
        self.register_buffer("queue", F.normalize(torch.randn(dim, size), dim=0))
        self.ptr = 0

    def enqueue(self, keys):
        n = keys.shape[0]
        self.queue[:, self.ptr:self.ptr + n] = keys.T.detach()
        self.ptr = (self.ptr + n) % self.size

    def forward(self, im_q, im_k):
        q = F.normalize(self.encoder_q(im_q), dim=1)
        k = F.normalize(self.encoder_k(im_k), dim=1)
        logits = torch.cat([(q * k).sum(1, keepdim=True), q @ self.queue.clone()], dim=1) / 0.07
        self.enqueue(k)
        return logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MoCo()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(3):
        logits = model(torch.randn(2, 5), torch.randn(2, 5))
        loss = F.cross_entropy(logits, torch.zeros(2, dtype=torch.long))
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("loss:", round(loss.item(), 4))
    print("queue sum:", round(model.queue.sum().item(), 4))
