"""`acts[0] = acts[0].mul(2)`: replace the list element instead of changing it."""
import torch

a = torch.tensor([0.0, 1.0], requires_grad=True)
b = torch.tensor([0.5, -0.5], requires_grad=True)
acts = [torch.sigmoid(a), torch.tanh(b)]
acts[0] = acts[0].mul(2)
loss = acts[0].sum() + acts[1].sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("a.grad:", [round(v, 4) for v in a.grad.tolist()])
