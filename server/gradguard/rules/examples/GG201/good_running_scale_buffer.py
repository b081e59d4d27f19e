"""A running inverse-std buffer scales the input, then is replaced by its update made out of place.

`self.running_scale = self.running_scale.mul(...).add(...)` makes a new tensor (a registered buffer takes it);
the one `mul` saved keeps its values.
"""
import torch
import torch.nn as nn


class ScaleNorm(nn.Module):
    def __init__(self, dim, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("running_scale", torch.ones(dim))

    def forward(self, x):
        y = x * self.running_scale
        if self.training:
            with torch.no_grad():
                batch_scale = 1.0 / (x.std(0) + 1e-5)
                self.running_scale = self.running_scale.mul(1 - self.momentum).add(self.momentum * batch_scale)
        return y


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 3), ScaleNorm(3))
    model(torch.randn(4, 3)).pow(2).sum().backward()
    print("running_scale:", [round(v, 4) for v in model[1].running_scale.tolist()])
    print("grad sum:", round(model[0].weight.grad.sum().item(), 4))
