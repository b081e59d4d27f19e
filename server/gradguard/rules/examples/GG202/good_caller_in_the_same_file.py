"""A block adds into its input, and the only caller, in the same file, hands it a fresh Linear output.

`Net.forward` builds `h = self.proj(x)` and passes it on: a Linear keeps its input, not its output, so the
block's `h += self.bias` changes a tensor no op saved. gradguard walks the block from that caller with what it
really passes, and assumes nothing about it.
"""
import torch
import torch.nn as nn


class AddBias(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.bias = nn.Parameter(torch.full((dim,), 0.5))

    def forward(self, h):
        h += self.bias
        return h


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3, 3)
        self.add_bias = AddBias(3)

    def forward(self, x):
        h = self.proj(x)
        return torch.tanh(self.add_bias(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    inputs = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    Net()(inputs).sum().backward()
    print("grad:", [round(v, 4) for v in inputs.grad.flatten().tolist()])
