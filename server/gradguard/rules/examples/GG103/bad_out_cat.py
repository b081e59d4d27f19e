"""`torch.cat([a, b], out=joined)` with an input that requires grad."""
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0])
joined = torch.empty(3)
torch.cat([a, b], out=joined)  # expect GG103; torch raises: functions with out=... arguments don't support automatic differentiation
loss = (joined * torch.tensor([1.0, 2.0, 3.0])).sum()
loss.backward()
print("loss:", loss.item())
print("a.grad:", a.grad.tolist())
