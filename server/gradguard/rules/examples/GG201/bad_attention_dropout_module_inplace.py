"""An attention block whose `nn.Dropout(p, inplace=True)` runs on the softmax weights.

softmax keeps its output for backward; an in-place dropout with p > 0 changes that output in
training mode, and backward() fails. (With p == 0 torch skips the dropout, so nothing breaks:
the bug appears only when someone turns attention dropout on. Pattern seen in real model code.)
"""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Attention(nn.Module):
    def __init__(self, dim, attn_drop=0.1):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn_drop = nn.Dropout(attn_drop, inplace=True)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        attn = self.attn_drop(attn)  # expect GG201
        return attn @ v


block = Attention(4)
x = torch.randn(2, 3, 4)
out = block(x)
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("out:", [round(v, 4) for v in out.flatten().tolist()[:4]])
print("qkv.bias.grad:", [round(v, 4) for v in block.qkv.bias.grad.tolist()[:4]])
