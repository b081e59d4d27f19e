"""Inputs copied by a one-tensor-or-tuple helper; the sigmoid of them then masked in place.

`to_4d((prediction, target))` wraps a lone tensor in a tuple (`isinstance(input_tensors, torch.Tensor)`), copies
each input and returns them as a tuple, as input-validation helpers of metric libraries do. The copies still
require grad; `g[target > 0.5] = 0` changes the output SigmoidBackward saved.
"""
import torch
import torch.nn as nn


def to_4d(input_tensors):
    if isinstance(input_tensors, torch.Tensor):
        input_tensors = (input_tensors,)
    resized = []
    for tensor in input_tensors:
        tmp = tensor.clone()
        if tmp.dim() == 3:
            tmp = tmp.unsqueeze(0)
        resized.append(tmp)
    if len(resized) == 1:
        return resized[0]
    return tuple(resized)


class GateLoss(nn.Module):
    def forward(self, prediction, target):
        prediction, target = to_4d((prediction, target))
        g = torch.sigmoid(prediction * target)
        g[target > 0.5] = 0  # expect GG201
        return 1 - g.mean()


torch.manual_seed(0)
prediction = torch.rand(1, 6, 6, requires_grad=True)
target = torch.rand(1, 6, 6)
loss = GateLoss()(prediction, target)
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("prediction.grad:", [round(v, 4) for v in prediction.grad.flatten()[:4].tolist()])
