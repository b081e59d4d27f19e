"""An in-place parameter update inside `with torch.set_grad_enabled(False):`."""
import torch

w = torch.tensor([0.2, -0.4], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
with torch.set_grad_enabled(False):
    w -= 0.5 * w.grad
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
