"""`probs.clamp_(max=0.9)` on a softmax output, inside an `if`."""
import torch

logits = torch.tensor([4.0, 1.0, 0.0], requires_grad=True)
clip = True
probs = torch.softmax(logits, dim=0)
if clip:
    probs.clamp_(max=0.9)  # expect GG201
loss = -torch.log(probs[1])
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("logits.grad:", [round(v, 4) for v in logits.grad.tolist()])
