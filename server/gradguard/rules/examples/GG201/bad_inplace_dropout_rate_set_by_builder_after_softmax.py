"""`nn.Dropout(attn_drop, inplace=True)` after a softmax, 0 by default: a rate of 0.1 breaks backward.

With its default rate of 0 the dropout leaves the attention probabilities alone; the model that builds it with
`attn_drop=0.1` makes it scale them in place, changing the output the softmax saved for backward.
"""
import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim, attn_drop=0.0):
        super().__init__()
        self.qk = nn.Linear(dim, dim * 2)
        self.attn_drop = nn.Dropout(attn_drop, inplace=True)

    def forward(self, x):
        q, k = self.qk(x).chunk(2, dim=-1)
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        attn = self.attn_drop(attn)  # expect GG201
        return attn @ x


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 3, 8, requires_grad=True)
    out = Attention(8, attn_drop=0.1).train()(x)
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("x.grad:", round(x.grad.sum().item(), 4))
