"""`x = torch.relu(x)`: the out-of-place function instead of `torch.relu_`."""
import torch

x = torch.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
x = torch.relu(x)
loss = (w * x).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
