"""In-place changes of `unbind` / `split` outputs of a tensor that does not require grad."""
import torch

table = torch.arange(6.0).reshape(3, 2)
first, second, third = table.unbind(0)
first.mul_(10)
for part in table.split(1, dim=1):
    part += 1
print("table:", table.tolist())
