"""`y = y * 2` after `y = torch.tanh(x)`."""
import torch

x = torch.tensor([0.5, -0.5, 1.0], requires_grad=True)
y = torch.tanh(x)
y = y * 2
loss = y.sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
