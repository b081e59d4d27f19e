"""Clone the tanh output, then scale a view of the clone in place."""
import torch

x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
y = torch.tanh(x)
y = y.clone()
head = y[:2]
head.mul_(2)
loss = y.sum()
loss.backward()
print("y:", [round(v, 4) for v in y.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
