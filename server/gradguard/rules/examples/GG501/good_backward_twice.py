"""`loss.backward(retain_graph=True)` first, so the second backward() can run; the gradients add up."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (x * x).sum()
loss.backward(retain_graph=True)
loss.backward()
print("x.grad:", x.grad.tolist())
