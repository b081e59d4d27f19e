"""`out=` with plain tensors that do not require grad."""
import torch

a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, 4.0])
c = torch.empty(2)
torch.add(a, b, out=c)
torch.mul(c, 2, out=c)
torch.cat([a, b], out=torch.empty(4))
print("c:", c.tolist())
