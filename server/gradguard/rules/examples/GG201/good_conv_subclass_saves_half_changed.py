"""A coupling adds an `nn.Conv2d` subclass's output to one half out of place (`z2 = z2 + ...`)."""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Conv2d(nn.Conv2d):
    def __init__(self, in_channels, out_channels):
        super().__init__(in_channels, out_channels, 3, padding=1)
        self.weight.data.normal_(mean=0.0, std=0.05)

    def forward(self, input):
        x = super().forward(input)
        return x


class FlowStep(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.invconv = nn.Conv2d(channels, channels, 1)
        self.f = nn.Sequential(Conv2d(channels // 2, hidden), nn.ReLU(), Conv2d(hidden, channels // 2))

    def forward(self, input):
        z = self.invconv(input)
        c = z.size(1)
        z1, z2 = z[:, :c // 2], z[:, c // 2:]
        z2 = z2 + self.f(z1)
        return torch.cat((z1, z2), dim=1)


step = FlowStep(4, 8)
out = step(torch.randn(2, 4, 5, 5))
out.sum().backward()
print("invconv.bias.grad:", [round(v, 4) for v in step.invconv.bias.grad.tolist()])
