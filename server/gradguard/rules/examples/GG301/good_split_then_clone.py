"""Clone the pieces of `split` before changing them in place."""
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
h = x * 3
left, right = (piece.clone() for piece in h.split(2))
left += 1
right.mul_(2)
loss = (left * right).sum()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
