"""A norm layer writes its running mean in place with the batch's graph and centers its output by it."""
import torch
import torch.nn as nn


class StandingCenter(nn.Module):
    def __init__(self, n, momentum=0.1):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("stored_mean", torch.zeros(n))

    def forward(self, x):
        if self.training:
            mean = x.mean(0)
            self.stored_mean[:] = self.stored_mean * (1 - self.momentum) + mean * self.momentum  # expect GG502
        return x - self.stored_mean


torch.manual_seed(0)
layer, norm = nn.Linear(3, 3), StandingCenter(3)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
for step in range(3):
    loss = norm(layer(torch.randn(4, 3))).pow(2).sum()
    opt.zero_grad()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    opt.step()
print("stored mean:", [round(v, 4) for v in norm.stored_mean.tolist()])
