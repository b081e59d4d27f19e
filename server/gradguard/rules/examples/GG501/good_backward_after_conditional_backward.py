"""The conditional backward() keeps the graph (`retain_graph=True`) for the main loss's backward()."""
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
x = torch.tensor([0.5, 2.0])
h = torch.tanh(w * x)
main = (h ** 2).sum()
aux = h.abs().sum()
use_aux = True
if use_aux:
    (main + aux).backward(retain_graph=True)
main.backward()
print("w.grad:", [round(v, 4) for v in w.grad.tolist()])
