"""An activation class chosen by name, only the gate saving its output: `out += skip` on it.

`Layer` builds its activation from the caller's `act`: a sigmoid gate, which keeps its output for backward, or a
learned shift (`x + bias`), which keeps nothing. Adding the skip connection into the activation's output in place
breaks backward() only when the gate was built (this run's setting, which the model's code cannot know): a warning
that names it. Built with the shift, the same code runs.
"""
import torch
import torch.nn as nn


class Gate(nn.Module):
    def forward(self, x):
        return torch.sigmoid(x)


class Shift(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(n))

    def forward(self, x):
        return x + self.bias


class Layer(nn.Module):
    def __init__(self, n, act):
        super().__init__()
        self.fc = nn.Linear(n, n)
        if act == "gate":
            self.act = Gate()
        elif act == "shift":
            self.act = Shift(n)
        else:
            raise ValueError(act)

    def forward(self, x, skip):
        out = self.act(self.fc(x))
        out += skip  # expect GG201
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    act = "gate" if torch.rand(()).item() < 1.0 else "shift"  # a run's setting (always the gate here)
    model = Layer(4, act)
    out = model(torch.randn(2, 4), torch.randn(2, 4))
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("out:", [round(v, 4) for v in out.flatten().tolist()])
    print("fc grad:", [round(v, 4) for v in model.fc.weight.grad.flatten()[:4].tolist()])
