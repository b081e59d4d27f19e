"""A spiking network reset by a loop over the buffers of all its layers: `zero_().detach_()` on each.

Each spiking layer keeps a membrane potential and a trace in buffers, made lazily when the input's shape changes.
The network's `reset_states` walks `named_buffers()`, which gives the buffers of its submodules too (`lif1.v_mem`,
`lif1.trace`, ...), and zeroes and detaches each: every batch's graph starts afresh."""
import torch
import torch.nn as nn


class LIF(nn.Module):
    def __init__(self, decay=0.9):
        super().__init__()
        self.decay = decay
        self.register_buffer("v_mem", torch.zeros(0))
        self.register_buffer("trace", torch.zeros(0))

    def forward(self, x):
        if self.v_mem.shape != x.shape:
            self.v_mem = torch.zeros_like(x)
            self.trace = torch.zeros_like(x)
        self.v_mem = self.decay * self.v_mem + x
        self.trace = self.decay * self.trace + torch.sigmoid(self.v_mem)
        return self.trace


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.lif1 = LIF()
        self.fc2 = nn.Linear(4, 2)
        self.lif2 = LIF()

    def reset_states(self):
        for name, b in self.named_buffers():
            b.zero_().detach_()

    def forward(self, x):
        return self.lif2(self.fc2(self.lif1(self.fc1(x))))


torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(3):
    net.reset_states()
    loss = net(torch.randn(2, 3)).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("buffers:", [n for n, _ in net.named_buffers()])
