"""A block chosen among three classes by stack type, each opening with BatchNorm: `backcast -= back`.

Every block (trend, seasonal or generic, built by the `if`/`elif` chain from the caller's `stack_types`) begins
with an nn.BatchNorm1d, which keeps its input for backward. Whichever class was built, subtracting the block's
output from `backcast` in place changes the tensor the BatchNorm saved (N-BEATS in pytorch-forecasting).
"""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, n, units=16):
        super().__init__()
        self.fc = nn.Sequential(nn.BatchNorm1d(n), nn.Linear(n, units), nn.ReLU())

    def forward(self, x):
        return self.fc(x)


class GenericBlock(Block):
    def __init__(self, n, horizon):
        super().__init__(n)
        self.back = nn.Linear(16, n)
        self.fore = nn.Linear(16, horizon)

    def forward(self, x):
        x = super().forward(x)
        return self.back(x), self.fore(x)


class SeasonalBlock(Block):
    def __init__(self, n, horizon):
        super().__init__(n)
        self.theta = nn.Linear(16, 4, bias=False)
        self.register_buffer("s_back", torch.randn(4, n))
        self.register_buffer("s_fore", torch.randn(4, horizon))

    def forward(self, x):
        theta = self.theta(super().forward(x))
        return theta.mm(self.s_back), theta.mm(self.s_fore)


class TrendBlock(Block):
    def __init__(self, n, horizon, degree=3):
        super().__init__(n)
        self.theta = nn.Linear(16, degree, bias=False)
        self.register_buffer("t_back", torch.linspace(0, 1, n).pow(torch.arange(degree)[:, None]))
        self.register_buffer("t_fore", torch.linspace(1, 2, horizon).pow(torch.arange(degree)[:, None]))

    def forward(self, x):
        theta = self.theta(super().forward(x))
        return theta.mm(self.t_back), theta.mm(self.t_fore)


class NBeats(nn.Module):
    def __init__(self, stack_types, n=10, horizon=5):
        super().__init__()
        self.blocks = nn.ModuleList()
        for kind in stack_types:
            if kind == "G":
                block = GenericBlock(n, horizon)
            elif kind == "S":
                block = SeasonalBlock(n, horizon)
            elif kind == "T":
                block = TrendBlock(n, horizon)
            else:
                raise ValueError(f"unknown stack type {kind}")
            self.blocks.append(block)

    def forward(self, target):
        backcast = target
        forecast = 0
        for block in self.blocks:
            back, fore = block(backcast)
            backcast -= back  # expect GG201
            forecast = forecast + fore
        return forecast, backcast


torch.manual_seed(0)
model = NBeats(["T", "S"])
forecast, backcast = model(torch.randn(8, 10))
(forecast.sum() + backcast.sum()).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("forecast:", [round(v, 4) for v in forecast[0].tolist()])
print("fc grad:", [round(v, 4) for v in model.blocks[0].fc[1].weight.grad.flatten()[:4].tolist()])
