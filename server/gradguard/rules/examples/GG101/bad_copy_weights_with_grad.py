"""Loading weights with `copy_` while grad mode is on.

`copy_` is an in-place op; on a parameter it needs `torch.no_grad()`.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 2)
pretrained = torch.tensor([[1.0, 0.0], [0.5, 1.0]])
layer.weight.copy_(pretrained)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
out = layer(torch.tensor([[1.0, 2.0]]))
print("out:", [round(v, 4) for v in out.flatten().tolist()])
