"""`cache["h"] += 1` where the dict holds an exp output.

On a tensor stored in a dict, `+=` is still the in-place `__iadd__`; the result is stored back
into the dict, but the tensor exp saved has already changed.
"""
import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
cache = {"h": torch.exp(x)}
cache["h"] += 1  # expect GG201
loss = cache["h"].prod()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
