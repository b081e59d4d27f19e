"""A constructor helper that zeroes input columns: `w = self.input.weight; w[:, a:b] = 0`.

The helper runs from `__init__`, in the caller's grad mode, which is on when a model is built: writing into a
view of a parameter there raises.
"""
import torch
import torch.nn as nn


class Evaluator(nn.Module):
    def __init__(self, features, virtual):
        super().__init__()
        self.input = nn.Linear(features + virtual, 8)
        self.features = features
        self._zero_virtual_weights()

    def _zero_virtual_weights(self):
        weights = self.input.weight
        weights[:, self.features:] = 0.0  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation

    def forward(self, x):
        return self.input(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Evaluator(4, 2)
    print("zeroed columns:", int((model.input.weight[:, 4:] == 0).all()))
