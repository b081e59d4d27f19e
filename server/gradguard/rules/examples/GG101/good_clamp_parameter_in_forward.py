"""A module whose `forward` uses a clamped copy of its parameter."""
import torch
import torch.nn as nn


class Tempered(nn.Module):
    def __init__(self):
        super().__init__()
        self.temperature = nn.Parameter(torch.tensor(0.5))

    def forward(self, logits):
        temperature = self.temperature.clamp(min=0.1)
        return torch.softmax(logits / temperature, dim=-1)


model = Tempered()
probs = model(torch.tensor([0.1, 0.2, 0.3]))
probs[0].backward()
print("probs:", [round(v, 4) for v in probs.tolist()])
print("temperature.grad:", round(model.temperature.grad.item(), 4))
