"""A regularizer's `loss()` adds its term into the total it is handed: `regularizer_loss += ...`.

The caller starts the total as `torch.tensor(0.)` and passes it for every parameter: an in-place add into a sum
that no op saved, so backward() through `loss + regularizer_loss` runs.
"""
import torch
import torch.nn as nn


class L1Regularizer:
    def __init__(self, strengths):
        self.strengths = strengths

    def loss(self, param, param_name, regularizer_loss):
        if param_name in self.strengths:
            regularizer_loss += self.strengths[param_name] * param.abs().sum()
        return regularizer_loss


def before_backward(model, regularizer, loss):
    regularizer_loss = torch.tensor(0.0)
    for name, param in model.named_parameters():
        regularizer.loss(param, name, regularizer_loss)
    return loss + regularizer_loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    out = model(torch.randn(4, 3))
    total = before_backward(model, L1Regularizer({"weight": 0.01}), out.pow(2).mean())
    total.backward()
    print("weight grad:", round(model.weight.grad.abs().sum().item(), 4))
