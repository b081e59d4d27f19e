"""The constructor helper with the write under `torch.no_grad()`."""
import torch
import torch.nn as nn


class Evaluator(nn.Module):
    def __init__(self, features, virtual):
        super().__init__()
        self.input = nn.Linear(features + virtual, 8)
        self.features = features
        self._zero_virtual_weights()

    def _zero_virtual_weights(self):
        with torch.no_grad():
            weights = self.input.weight
            weights[:, self.features:] = 0.0

    def forward(self, x):
        return self.input(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Evaluator(4, 2)
    print("zeroed columns:", int((model.input.weight[:, 4:] == 0).all()))
