"""A module that keeps its state in `self.memory` across calls, trained with a backward() per call."""
import torch
import torch.nn as nn


class Stateful(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.memory = torch.zeros(1, 2)

    def forward(self, x):
        self.memory = torch.tanh(self.fc(x) + self.memory)  # expect GG502
        return self.memory.sum()


torch.manual_seed(0)
model = Stateful()
xs = [torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]])]
for x in xs:
    loss = model(x)
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
print("memory:", [round(v, 4) for v in model.memory.flatten().tolist()])
print("fc.bias.grad:", [round(v, 4) for v in model.fc.bias.grad.tolist()])
