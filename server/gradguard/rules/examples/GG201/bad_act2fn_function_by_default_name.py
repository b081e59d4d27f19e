"""HuggingFace-style `ACT2FN[hidden_act]` holds `torch.tanh`; the residual is added into its output.

`ACT2FN` maps names to functions; `self.intermediate_act_fn = ACT2FN[hidden_act]` with `hidden_act="tanh"` holds
`torch.tanh`, which keeps its output for backward, and `hidden_states += input_tensor` changes that output.
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
        hidden_states += input_tensor  # expect GG201
        return hidden_states


torch.manual_seed(0)
layer = Intermediate(4)
x = torch.randn(2, 4)
out = layer(x, x)
out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("dense.bias.grad:", [round(v, 4) for v in layer.dense.bias.grad.tolist()])
