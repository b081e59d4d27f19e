"""A helper that logs a loss and calls `backward(retain_graph=True)`, called twice with the same loss."""
import torch


def report_and_backward(name, loss):
    print(name, round(loss.item(), 4))
    loss.backward(retain_graph=True)


x = torch.tensor([0.0, 1.0], requires_grad=True)
loss = torch.sigmoid(x).sum()
report_and_backward("first:", loss)
report_and_backward("again:", loss)
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
