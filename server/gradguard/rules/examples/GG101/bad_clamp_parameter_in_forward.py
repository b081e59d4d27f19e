"""A module whose `forward` clamps its own parameter in place.

`self.temperature` is an `nn.Parameter`, a leaf that requires grad; `clamp_` in `forward` raises on
the first call.
"""
import torch
import torch.nn as nn


class Tempered(nn.Module):
    def __init__(self):
        super().__init__()
        self.temperature = nn.Parameter(torch.tensor(0.5))

    def forward(self, logits):
        self.temperature.clamp_(min=0.1)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
        return torch.softmax(logits / self.temperature, dim=-1)


model = Tempered()
probs = model(torch.tensor([0.1, 0.2, 0.3]))
probs[0].backward()
print("probs:", [round(v, 4) for v in probs.tolist()])
print("temperature.grad:", round(model.temperature.grad.item(), 4))
