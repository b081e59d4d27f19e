"""`ACT2FN[config.hidden_act]`: relu, tanh or sigmoid, each keeps its output; `h += x` changes it.

The layer does not show which name the config holds, but every function of the table saves its result for
backward, so adding the residual in place breaks backward whichever one the key picks.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACT2FN = {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class Intermediate(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.act_fn = ACT2FN[config.hidden_act]

    def forward(self, hidden_states, input_tensor):
        h = self.act_fn(self.dense(hidden_states))
        h += input_tensor  # expect GG201
        return h


class Config:
    hidden_size = 4
    hidden_act = "sigmoid"


torch.manual_seed(0)
layer = Intermediate(Config())
x = torch.randn(2, 4)
layer(x, x).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("dense.bias.grad:", [round(v, 4) for v in layer.dense.bias.grad.tolist()])
