"""A helper that logs a loss and calls backward() on it, called twice with the same loss.

gradguard reports the second call; torch raises inside the helper.
"""
import torch


def report_and_backward(name, loss):
    print(name, round(loss.item(), 4))
    loss.backward()  # torch raises: Trying to backward through the graph a second time


x = torch.tensor([0.0, 1.0], requires_grad=True)
loss = torch.sigmoid(x).sum()
report_and_backward("first:", loss)
report_and_backward("again:", loss)  # expect GG501
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
