"""Overwriting the NumPy buffer of an input after the forward pass, when only additions used it.

`from_numpy` shares memory, but `x + w` saves nothing, so the buffer may be refilled before backward().
"""
import numpy as np
import torch

buffer = np.array([1.0, 2.0], dtype=np.float32)
w = torch.tensor([0.5, 0.5], requires_grad=True)
x = torch.from_numpy(buffer)
loss = (x + w).sum()
buffer[:] = 0.0
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
