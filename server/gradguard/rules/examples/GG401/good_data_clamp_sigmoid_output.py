"""Clamping a sigmoid output out of place: `probs = probs.clamp(0.05, 0.95)`."""
import torch

z = torch.tensor([-4.0, 0.0, 4.0], requires_grad=True)
probs = torch.sigmoid(z)
probs = probs.clamp(0.05, 0.95)
loss = -torch.log(probs).sum()
loss.backward()

reference = z.detach().clone().requires_grad_()
(-torch.log(torch.sigmoid(reference).clamp(0.05, 0.95))).sum().backward()
print("loss:", round(loss.item(), 4))
print("z.grad:", [round(v, 4) for v in z.grad.tolist()])
assert torch.allclose(z.grad, reference.grad)
