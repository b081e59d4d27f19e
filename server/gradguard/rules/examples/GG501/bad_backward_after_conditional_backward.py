"""An `if` that back-propagates an auxiliary loss together with the main one, then the main loss again."""
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
x = torch.tensor([0.5, 2.0])
h = torch.tanh(w * x)
main = (h ** 2).sum()
aux = h.abs().sum()
use_aux = True
if use_aux:
    (main + aux).backward()
main.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
print("w.grad:", [round(v, 4) for v in w.grad.tolist()])
