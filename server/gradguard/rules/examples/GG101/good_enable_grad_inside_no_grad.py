"""The update moved out of `enable_grad` back into the `no_grad` block.

Only the loss and its backward need grad mode; the parameter update runs with grad mode off.
"""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([0.5, -1.0])
with torch.no_grad():
    with torch.enable_grad():
        loss = ((w * x).sum() - 2.0) ** 2
        loss.backward()
    w -= 0.1 * w.grad
print("loss:", loss.item())
print("w:", [round(v, 4) for v in w.tolist()])
