"""A tensor made with `torch.zeros` and filled row by row with results that require grad.

The buffer starts without grad; each row assignment is recorded (as `CopySlices`), and nothing saved
the buffer before it was filled.
"""
import torch

x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
buf = torch.zeros(2, 3)
buf[0] = x * 2
buf[1] = torch.exp(x)
loss = (buf ** 2).sum()
loss.backward()
print("buf:", [[round(v, 4) for v in row] for row in buf.tolist()])
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
