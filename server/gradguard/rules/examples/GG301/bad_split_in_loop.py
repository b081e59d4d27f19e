"""`part += 1` for each piece of `h.split(2)` in a `for` loop."""
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
h = x * 3
parts = []
for part in h.split(2):
    part += 1  # expect GG301; torch raises: This view is the output of a function that returns multiple views
    parts.append(part)
loss = (parts[0] * parts[1]).sum()
loss.backward()
print("loss:", loss.item())
print("x.grad:", x.grad.tolist())
