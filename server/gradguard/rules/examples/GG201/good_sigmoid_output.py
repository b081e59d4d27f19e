"""`y = y + 1` after `y = torch.sigmoid(x)`: the saved output stays as it was."""
import torch

x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
y = torch.sigmoid(x)
y = y + 1
loss = (y * y).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
