"""`torch.sigmoid(h, out=h)`: an in-place op spelled with `out=`.

Even when the output is the input itself, `out=` is refused while an argument requires grad.
"""
import torch

x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
h = x * 2
torch.sigmoid(h, out=h)  # expect GG103; torch raises: functions with out=... arguments don't support automatic differentiation
h.sum().backward()
print("h:", [round(v, 4) for v in h.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
