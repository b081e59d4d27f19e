"""A loss helper zeroes masked predictions out of place after a sigmoid: `pred.masked_fill(ignore, 0)`.

The sigmoid keeps its output for backward; the masked copy is a new tensor.
"""
import torch
import torch.nn.functional as F


def masked_bce(logits, target, ignore):
    pred = torch.sigmoid(logits)
    pred = pred.masked_fill(ignore, 0.0)
    return F.binary_cross_entropy(pred, target)


if __name__ == "__main__":
    scores = torch.tensor([0.5, -1.0, 2.0, 0.1], requires_grad=True)
    labels = torch.tensor([1.0, 0.0, 1.0, 0.0])
    loss = masked_bce(scores, labels, labels == 0)
    loss.backward()
    print("grad:", [round(v, 4) for v in scores.grad.tolist()])
