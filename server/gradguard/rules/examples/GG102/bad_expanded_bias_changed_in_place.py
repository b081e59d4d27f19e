"""A bias parameter expanded over the batch, then changed in place: torch refuses the leaf view first."""
import torch
import torch.nn as nn


class BatchBias(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        b = self.bias.unsqueeze(0).expand(x.size(0), -1)
        b += x  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
        return b


if __name__ == "__main__":
    torch.manual_seed(0)
    out = BatchBias(4)(torch.randn(2, 4))
    print("out:", round(out.sum().item(), 4))
    out.sum().backward()
