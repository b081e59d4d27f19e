"""Changing the input of `sigmoid` in place after the call: sigmoid saves only its output."""
import torch

x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
logits = x * 2
probs = torch.sigmoid(logits)
logits.clamp_(min=0.0)
loss = probs.sum() + logits.sum()
loss.backward()
print("probs:", [round(v, 4) for v in probs.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
