"""Both losses go through backward() before the manual SGD update."""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0], requires_grad=True)
loss1 = (w * x).sum()
loss1.backward()
loss2 = (w * x * 2).sum()
loss2.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
print("w:", [round(v, 4) for v in w.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
