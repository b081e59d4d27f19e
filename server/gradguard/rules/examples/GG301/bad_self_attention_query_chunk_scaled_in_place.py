"""Self-attention scales its query in place, and the query is a piece of a chunk.

The fairseq-style attention packs the query, key and value projections into one linear layer and, when it is
given one tensor three times (`query.data_ptr() == key.data_ptr() == value.data_ptr()`: self-attention), splits its
output with `chunk(3)`. The pieces are views of one multi-output op, so `q *= self.scaling` raises.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.scaling = dim ** -0.5
        self.in_proj_weight = nn.Parameter(torch.randn(3 * dim, dim) * 0.02)

    def forward(self, query, key, value):
        qkv_same = query.data_ptr() == key.data_ptr() == value.data_ptr()
        kv_same = key.data_ptr() == value.data_ptr()
        dim = query.shape[-1]
        if qkv_same:
            q, k, v = F.linear(query, self.in_proj_weight).chunk(3, dim=-1)
        elif kv_same:
            q = F.linear(query, self.in_proj_weight[:dim])
            k, v = F.linear(key, self.in_proj_weight[dim:]).chunk(2, dim=-1)
        else:
            q = F.linear(query, self.in_proj_weight[:dim])
            k = F.linear(key, self.in_proj_weight[dim:2 * dim])
            v = F.linear(value, self.in_proj_weight[2 * dim:])
        q *= self.scaling  # expect GG301; torch raises: Output 0 of Split is a view and is being modified inplace
        weights = torch.softmax(q @ k.transpose(-2, -1), dim=-1)
        return weights @ v


torch.manual_seed(0)
attn = MultiheadAttention(8)
x = torch.randn(2, 5, 8)
out = attn(x, x, x)
out.sum().backward()
print("in_proj_weight grad norm:", round(attn.in_proj_weight.grad.norm().item(), 4))
