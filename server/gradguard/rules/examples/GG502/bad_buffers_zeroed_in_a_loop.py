"""A spiking layer's buffers reset by a loop with `zero_()` only: they keep the graph.

A spiking layer keeps its membrane potential in a buffer, made lazily when the input's shape changes, and the
training loop resets the layer before each batch: `for b in self.buffers(): b.zero_()`. An in-place zero keeps
the tensor's autograd history: the next batch's graph still goes through the previous batch's, which its
backward() freed."""
import torch
import torch.nn as nn


class LeakyIntegrator(nn.Module):
    def __init__(self, leak=0.9):
        super().__init__()
        self.leak = leak
        self.register_buffer("v_mem", torch.zeros(0))

    def reset_states(self):
        for b in self.buffers():
            b.zero_()

    def forward(self, x):
        if self.v_mem.shape != x.shape:
            self.v_mem = torch.zeros_like(x)
        self.v_mem = self.leak * self.v_mem + x
        return torch.sigmoid(self.v_mem)


torch.manual_seed(0)
encoder = nn.Linear(3, 3)
neuron = LeakyIntegrator()
opt = torch.optim.SGD(encoder.parameters(), lr=0.1)
for step in range(3):
    neuron.reset_states()
    out = neuron(encoder(torch.randn(2, 3)))
    loss = out.sum()
    opt.zero_grad()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    opt.step()
print("weight:", [round(v, 4) for v in encoder.weight.flatten().tolist()])
