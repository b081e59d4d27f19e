"""A reshaped softmax output is changed in place: `reshape` of a contiguous tensor is a view of it.

`softmax` keeps its output for backward; `reshape` gives a view of that same memory whenever it can, and it always
can for a contiguous tensor, so `attn_flat *= mask` changes what softmax saved.
"""
import torch
import torch.nn as nn


class MaskedAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, dim)

    def forward(self, x, mask):
        attn = self.score(x).softmax(dim=-1)
        attn_flat = attn.reshape(-1)
        attn_flat *= mask.reshape(-1)  # expect GG201
        return attn @ x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MaskedAttention(4)
    model(torch.randn(4, 4), torch.ones(4, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(model.score.weight.grad.norm().item(), 4))
