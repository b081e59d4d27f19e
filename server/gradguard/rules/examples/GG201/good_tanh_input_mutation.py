"""Reusing the input buffer of `tanh` in place after the call: tanh saves only its output."""
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
pre = w * 2
act = torch.tanh(pre)
pre.zero_()
pre += act
(pre * 3).sum().backward()
print("act:", [round(v, 4) for v in act.tolist()])
print("w.grad:", [round(v, 4) for v in w.grad.tolist()])
