"""`probs.clamp_()` under `torch.no_grad()` before backward(): no_grad does not protect saved tensors.

`no_grad` only stops recording new operations. The clamp still changes the tensor sigmoid saved, and
the version counter still moves.
"""
import torch

logits = torch.tensor([3.0, 0.0, -3.0], requires_grad=True)
target = torch.tensor([1.0, 0.0, 1.0])
probs = torch.sigmoid(logits)
loss = -(target * torch.log(probs)).sum()
with torch.no_grad():
    probs.clamp_(0.1, 0.9)  # expect GG201
print("clamped probs:", [round(v, 4) for v in probs.tolist()])
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("logits.grad:", [round(v, 4) for v in logits.grad.tolist()])
