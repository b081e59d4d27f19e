"""A loss helper zeroes masked predictions in place after a sigmoid: `pred[ignore] = 0`.

Nothing in its name says loss, but it computes `F.binary_cross_entropy`: it is what the training loop calls
backward() on. The sigmoid keeps its output for backward, and the index assignment changes it.
"""
import torch
import torch.nn.functional as F


def masked_bce(logits, target, ignore):
    pred = torch.sigmoid(logits)
    pred[ignore] = 0.0  # expect GG201
    return F.binary_cross_entropy(pred, target)


if __name__ == "__main__":
    scores = torch.tensor([0.5, -1.0, 2.0, 0.1], requires_grad=True)
    labels = torch.tensor([1.0, 0.0, 1.0, 0.0])
    loss = masked_bce(scores, labels, labels == 0)
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad:", [round(v, 4) for v in scores.grad.tolist()])
