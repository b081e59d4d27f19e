"""`stats = y.detach().clone()`: a real copy for the statistics."""
import torch

x = torch.tensor([0.0, 2.0, -2.0], requires_grad=True)
y = torch.sigmoid(x)
stats = y.detach().clone()
stats -= stats.mean()
print("centered activations:", [round(v, 4) for v in stats.tolist()])
loss = y.sum()
loss.backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
