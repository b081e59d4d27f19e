"""A merge layer's subclass hook adds into the first input that the base class's forward hands it.

`Merge.forward` (which a subclass inherits, often from another file) returns `self._merge_function(inputs)`; Add's
hook starts from `output = inputs[0]`, the caller's own tensor, and `output += ...` changes it. The caller's first
input here is a ReLU output, which ReluBackward saved: the backward raises.
"""
import torch
import torch.nn as nn


class Merge(nn.Module):
    def _merge_function(self, inputs):
        raise NotImplementedError

    def forward(self, inputs):
        return self._merge_function(inputs)


class Add(Merge):
    def _merge_function(self, inputs):
        output = inputs[0]
        for i in range(1, len(inputs)):
            output += inputs[i]  # expect GG202
        return output


if __name__ == "__main__":
    torch.manual_seed(0)
    a = torch.randn(5, 8, requires_grad=True)
    b = torch.randn(5, 8, requires_grad=True)
    out = Add()([torch.relu(a), torch.relu(b)])  # expect GG201
    out.sum().backward()  # torch raises: modified by an inplace operation
    print("grad:", round(a.grad.sum().item(), 4))
