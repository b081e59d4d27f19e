"""`acts[0].mul_(2)` where the list holds a sigmoid output."""
import torch

a = torch.tensor([0.0, 1.0], requires_grad=True)
b = torch.tensor([0.5, -0.5], requires_grad=True)
acts = [torch.sigmoid(a), torch.tanh(b)]
acts[0].mul_(2)  # expect GG201
loss = acts[0].sum() + acts[1].sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("a.grad:", [round(v, 4) for v in a.grad.tolist()])
