"""Features made once by a plain class's `__call__` (an embedding inside), then reused by every epoch.

`HashEmbedder` is not an nn.Module, but calling it runs its `__call__`, which looks the words up in an
nn.Embedding: `features` carries that graph. The first epoch's backward() frees it; the second goes through it
again.
"""
import torch
import torch.nn as nn


class HashEmbedder:
    def __init__(self, dim, bins=16):
        self.bins = bins
        self.embedding = nn.Embedding(bins, dim)

    def __call__(self, words):
        idx = torch.tensor([sum(map(ord, w)) % self.bins for w in words])
        return self.embedding(idx)


torch.manual_seed(0)
features = HashEmbedder(8)(["a", "bb", "ccc", "dddd"])
target = torch.randn(4, 1)
model = nn.Linear(8, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    opt.zero_grad()
    loss = (model(features) - target).pow(2).mean()
    loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
    opt.step()
print("model.weight[0]:", [round(v, 4) for v in model.weight[0].tolist()])
