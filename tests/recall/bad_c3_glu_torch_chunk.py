"""Category 3: a GEGLU feed-forward splits with torch.chunk and multiplies the value half in place."""
import torch
import torch.nn.functional as F
from torch import nn


class GEGLU(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.proj = nn.Linear(dim_in, dim_out * 2)

    def forward(self, x):
        x, gate = torch.chunk(self.proj(x), 2, dim=-1)
        x *= F.gelu(gate)  # BUG
        return x


if __name__ == "__main__":
    ff = GEGLU(4, 6)
    ff(torch.randn(3, 4)).sum().backward()
