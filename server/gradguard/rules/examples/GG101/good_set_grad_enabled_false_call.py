"""`torch.set_grad_enabled(False)` as a plain call, an in-place update, then grad mode back on.

Called as a function (not as a context manager), `set_grad_enabled` switches grad mode until the next
call.
"""
import torch

w = torch.tensor([0.2, -0.4], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()
torch.set_grad_enabled(False)
w.sub_(0.5 * w.grad)
torch.set_grad_enabled(True)
loss = (w ** 2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("w:", [round(v, 4) for v in w.tolist()])
