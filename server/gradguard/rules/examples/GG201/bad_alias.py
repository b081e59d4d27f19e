"""`out -= 0.5` where `out` is another name for a sigmoid output.

`out = probs` does not copy: both names refer to one tensor, the one sigmoid saved.
"""
import torch

logits = torch.tensor([2.0, -1.0, 0.0], requires_grad=True)
probs = torch.sigmoid(logits)
out = probs
out -= 0.5  # expect GG201
loss = (out ** 2).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("logits.grad:", [round(v, 4) for v in logits.grad.tolist()])
