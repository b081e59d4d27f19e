"""Loading weights with `copy_` under `torch.no_grad()`, as `load_state_dict` does."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 2)
pretrained = torch.tensor([[1.0, 0.0], [0.5, 1.0]])
with torch.no_grad():
    layer.weight.copy_(pretrained)
out = layer(torch.tensor([[1.0, 2.0]]))
print("out:", [round(v, 4) for v in out.flatten().tolist()])
