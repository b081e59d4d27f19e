"""A recurrent cell decays the hidden state it unpacks from its `state` argument out of place.

`h, c = state` names the caller's tensors: in training, the previous step's outputs. Here `h` is a tanh output,
which tanh keeps for backward; `h = h * self.decay` leaves it as it was, and backward() runs.
"""
import torch
import torch.nn as nn


class DecayCell(nn.Module):
    def __init__(self, decay):
        super().__init__()
        self.decay = decay

    def forward(self, x, state):
        h, c = state
        h = h * self.decay
        return torch.tanh(x + h), c


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    h0 = torch.tanh(features * 2)
    out, _ = DecayCell(0.5)(features, (h0, features * 0))
    out.sum().backward()
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
