"""`out=` on `.detach()`ed inputs: nothing that requires grad takes part."""
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([2.0, 4.0])
snapshot = torch.empty(2)
torch.mul(w.detach(), x, out=snapshot)
loss = (w * x).sum()
loss.backward()
print("snapshot:", snapshot.tolist())
print("w.grad:", w.grad.tolist())
