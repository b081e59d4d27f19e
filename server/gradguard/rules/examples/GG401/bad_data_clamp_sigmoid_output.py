"""Clamping a sigmoid output through `.data` for numerical safety.

`probs.data.clamp_()` changes the tensor sigmoid saved, behind autograd's back. The loss sees the
clamped values, but backward() uses them inside sigmoid's derivative and knows nothing of the clamp:
where the clamp was active the gradient should be zero, and it is not.
"""
import torch

z = torch.tensor([-4.0, 0.0, 4.0], requires_grad=True)
probs = torch.sigmoid(z)
probs.data.clamp_(0.05, 0.95)  # expect GG401
loss = -torch.log(probs).sum()
loss.backward()

reference = z.detach().clone().requires_grad_()
(-torch.log(torch.sigmoid(reference).clamp(0.05, 0.95))).sum().backward()
print("loss:", round(loss.item(), 4))
print("z.grad:", [round(v, 4) for v in z.grad.tolist()])
assert not torch.allclose(z.grad, reference.grad)  # silently wrong where the clamp was active
