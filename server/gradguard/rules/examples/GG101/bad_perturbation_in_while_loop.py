"""An adversarial perturbation updated in place in a `while` loop, with grad mode on.

`delta` is a leaf that requires grad (we need its gradient), so the in-place step must run under
`torch.no_grad()`.
"""
import torch

x = torch.tensor([1.0, -1.0])
w = torch.tensor([2.0, 0.5])
delta = torch.zeros(2, requires_grad=True)
step = 0
while step < 3:
    loss = (w * (x + delta)).sum() ** 2
    loss.backward()
    delta += 0.1 * delta.grad.sign()  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
    delta.grad.zero_()
    step += 1
print("delta:", [round(v, 4) for v in delta.tolist()])
