"""Calling `loss.backward()` twice on the same graph.

The first backward() frees the tensors the graph saved (here `x`, saved by the product), unless told
to keep them. The second one needs them.
"""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (x * x).sum()
loss.backward()
loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
print("x.grad:", x.grad.tolist())
