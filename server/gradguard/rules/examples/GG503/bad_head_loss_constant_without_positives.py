"""A head's `loss` returns constant zeros when a batch has no positives: backward() on it raises."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.cls = nn.Linear(4, 1)
        self.reg = nn.Linear(4, 4)

    def forward(self, x):
        return self.cls(x).squeeze(1), self.reg(x)

    def loss(self, preds, labels, boxes):
        scores, deltas = preds
        pos = labels > 0
        num_pos = int(pos.sum())
        if num_pos == 0:  # a warm-up batch without positive samples
            loss_cls = torch.tensor(0.0)  # expect GG503
            loss_box = torch.tensor(0.0)  # expect GG503
        else:
            loss_cls = F.binary_cross_entropy_with_logits(scores, labels.float())
            loss_box = F.l1_loss(deltas[pos], boxes[pos])
        loss = loss_cls + loss_box
        return loss, dict(loss_cls=loss_cls, loss_box=loss_box)


torch.manual_seed(0)
head = Head()
x = torch.randn(3, 4)
labels = torch.zeros(3, dtype=torch.long)
boxes = torch.randn(3, 4)
loss, parts = head.loss(head(x), labels, boxes)
loss.backward()  # torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("cls.bias.grad:", head.cls.bias.grad.tolist())
