"""Clone after expanding, then `copy_` into the clone."""
import torch

y = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
buf = torch.zeros(1, 3).expand_as(y).clone()
buf.copy_(y)
print("buf:", buf.tolist())
