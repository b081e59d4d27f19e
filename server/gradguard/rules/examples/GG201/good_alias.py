"""`out = out - 0.5`: the name `out` gets a new tensor and the sigmoid output stays intact."""
import torch

logits = torch.tensor([2.0, -1.0, 0.0], requires_grad=True)
probs = torch.sigmoid(logits)
out = probs
out = out - 0.5
loss = (out ** 2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("logits.grad:", [round(v, 4) for v in logits.grad.tolist()])
