"""A block hooks a layer it builds itself, and its forward never changes that output in place.

The block knows its own forward: the hooked projection's output goes through an out-of-place `torch.relu`, so the
views the hook makes are never modified in place and torch runs clean. Hooks on `self`'s own layers are not
reported.
"""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.grad_norm = None
        self.proj.register_full_backward_hook(self.record)

    def record(self, module, grad_input, grad_output):
        self.grad_norm = grad_output[0].norm().item()

    def forward(self, x):
        return torch.relu(self.proj(x)) + x


if __name__ == "__main__":
    torch.manual_seed(0)
    block = Block(4)
    block(torch.randn(3, 4, requires_grad=True)).sum().backward()
    print("grad norm at the projection:", round(block.grad_norm, 4))
