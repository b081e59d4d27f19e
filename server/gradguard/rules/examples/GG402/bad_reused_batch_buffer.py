"""Prefetching the next batch into the NumPy buffer the current batch's tensor shares.

The Linear layer saved its input to compute the weight's gradient; overwriting the buffer before
backward() makes it compute the gradient from the next batch.
"""
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(2, 1)
batch = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
x = torch.from_numpy(batch)
loss = layer(x).sum()
true_grad = x.sum(dim=0, keepdim=True).clone()
batch[:] = np.array([[5.0, 6.0], [7.0, 8.0]], dtype=np.float32)  # expect GG402
loss.backward()
print("loss:", round(loss.item(), 4))
print("weight.grad:", layer.weight.grad.tolist())
assert not torch.equal(layer.weight.grad, true_grad)  # silently wrong
