"""`w.view(-1).add_(1)`: an in-place op on a reshaped view of a leaf."""
import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
flat = w.view(-1)
flat.add_(1)  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation
loss = (flat * torch.tensor([1.0, 0.0, 0.0, 1.0])).sum()
loss.backward()
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
