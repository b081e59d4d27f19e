"""backward() on one element `y[0]` and on a mean: both are scalars."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.exp(x)
y[0].backward(retain_graph=True)
y.mean().backward()
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
