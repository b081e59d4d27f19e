"""An adversarial perturbation updated in place in a `while` loop, under `torch.no_grad()`."""
import torch

x = torch.tensor([1.0, -1.0])
w = torch.tensor([2.0, 0.5])
delta = torch.zeros(2, requires_grad=True)
step = 0
while step < 3:
    loss = (w * (x + delta)).sum() ** 2
    loss.backward()
    with torch.no_grad():
        delta += 0.1 * delta.grad.sign()
    delta.grad.zero_()
    step += 1
print("delta:", [round(v, 4) for v in delta.tolist()])
