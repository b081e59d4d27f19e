"""`out=` inside `torch.inference_mode()`, with a model's parameters as arguments."""
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 2)
out = torch.empty(1, 2)
with torch.inference_mode():
    torch.addmm(layer.bias, torch.tensor([[1.0, 2.0]]), layer.weight.T, out=out)
print("out:", [round(v, 4) for v in out.flatten().tolist()])
