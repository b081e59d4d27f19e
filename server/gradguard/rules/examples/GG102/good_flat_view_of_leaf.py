"""`flat = flat.add(1)`: the out-of-place add on the reshaped view.

The view keeps its link to `w`, so `w` gets the gradient.
"""
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
flat = w.view(-1)
flat = flat.add(1)
loss = (flat * torch.tensor([1.0, 0.0, 0.0, 1.0])).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
