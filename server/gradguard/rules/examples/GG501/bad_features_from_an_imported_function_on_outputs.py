"""Features made once by an imported function from a layer's outputs, reused by every training step.

`pad_sequence` pads tensors that require grad: its result keeps their graph, which `abs` and `sqrt`
save. The first backward() frees what they and the encoder saved; the second step's backward() goes through them
again.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def train(epochs):
    torch.manual_seed(0)
    encoder = nn.Linear(4, 4)
    feats = pad_sequence([encoder(torch.randn(4)) for _ in range(8)], batch_first=True)
    norm = 1 / torch.sqrt(feats.abs() + 1)
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(list(model.parameters()) + list(encoder.parameters()), lr=0.1)
    for epoch in range(epochs):
        loss = model(feats * norm).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
        optimizer.step()
        print(epoch, round(loss.item(), 4))


train(3)
