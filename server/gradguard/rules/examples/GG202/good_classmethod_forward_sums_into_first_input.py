"""A layer whose forward is a classmethod sums its inputs out of place.

`nn.Module.__call__` runs a classmethod `forward` like any other, with the inputs the caller passes: in training
the outputs of earlier layers. Here the first is a ReLU output, which ReLU keeps for backward; `result = result +`
leaves it as it was, and backward() runs.
"""
import torch
import torch.nn as nn


class Add(nn.Module):
    @classmethod
    def forward(cls, xs):
        result = xs[0]
        for i in range(1, len(xs)):
            result = result + xs[i]
        return result


if __name__ == "__main__":
    features = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    hidden = torch.relu(features * 2)
    out = Add()([hidden, features * 3])
    out.sum().backward()
    print("grad:", [round(v, 4) for v in features.grad.flatten().tolist()])
