"""`masked_fill_` on an expanded adjacency mask runs: torch raises only if it requires grad.

An attention block broadcasts the adjacency matrix it is given over the batch with einops `repeat` (an
expand, no copy) and clears its diagonal with `masked_fill_`. Like `fill_`, it writes one value to each
picked element, which torch allows where elements share memory (with a batch above 1 it warns that this is
deprecated, and runs); nothing shows that the argument requires grad (it is a boolean mask), so no backward
has to write through the expanded layout. Run here with one graph, as the block's README does.
"""
import torch
from einops import repeat
from torch import nn


class AdjacencyAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.to_q = nn.Linear(dim, dim)

    def forward(self, feats, adj_mat=None):
        b, n, _ = feats.shape
        if adj_mat is not None:
            if adj_mat.dim() == 2:
                adj_mat = repeat(adj_mat, "i j -> b i j", b=b)
            self_mask = torch.eye(n, dtype=torch.bool).unsqueeze(0)
            adj_mat.masked_fill_(self_mask, False)
            adj_mat.index_fill_(2, torch.tensor([0]), False)
        q = self.to_q(feats)
        sim = q @ q.transpose(1, 2)
        if adj_mat is not None:
            sim = sim.masked_fill(~adj_mat, -1e9)
        return sim.softmax(dim=-1) @ feats


if __name__ == "__main__":
    torch.manual_seed(0)
    adj = torch.tensor([[True, True, False], [True, True, True], [False, True, True]])
    feats = torch.randn(1, 3, 4, requires_grad=True)
    AdjacencyAttention(4)(feats, adj).sum().backward()
    print("adjacency after clearing:", adj.int().tolist())
    print("grad norm:", round(float(feats.grad.norm()), 4))
