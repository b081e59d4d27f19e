"""backward() twice through a graph that saved nothing runs clean.

`(x + 1).sum()` keeps no tensors for backward (addition and sum need none for their gradients), so
nothing is freed and the second backward() accumulates again. torch raises only when the second pass
needs a saved tensor that was freed.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x + 1).sum()
y.backward()
y.backward()
print("x.grad:", x.grad.tolist())
