"""`probs = probs.clamp(0.1, 0.9)` under `torch.no_grad()`: a clamped copy for reporting."""
import torch

logits = torch.tensor([3.0, 0.0, -3.0], requires_grad=True)
target = torch.tensor([1.0, 0.0, 1.0])
probs = torch.sigmoid(logits)
loss = -(target * torch.log(probs)).sum()
with torch.no_grad():
    probs = probs.clamp(0.1, 0.9)
print("clamped probs:", [round(v, 4) for v in probs.tolist()])
loss.backward()
print("logits.grad:", [round(v, 4) for v in logits.grad.tolist()])
