"""The same layer adds the residual out of place: `hidden_states = hidden_states + input_tensor`.

`torch.tanh` keeps its output for backward; the sum is a new tensor and the output stays as it was.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACT2FN = {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class Intermediate(nn.Module):
    def __init__(self, dim, hidden_act="tanh"):
        super().__init__()
        self.dense = nn.Linear(dim, dim)
        self.intermediate_act_fn = ACT2FN[hidden_act]

    def forward(self, hidden_states, input_tensor):
        hidden_states = self.intermediate_act_fn(self.dense(hidden_states))
        hidden_states = hidden_states + input_tensor
        return hidden_states


torch.manual_seed(0)
layer = Intermediate(4)
x = torch.randn(2, 4)
out = layer(x, x)
out.sum().backward()
print("dense.bias.grad:", [round(v, 4) for v in layer.dense.bias.grad.tolist()])
