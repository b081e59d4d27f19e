"""GG503 on a loss function that returns, on one path of its `if`s, a loss built only from constants
(`torch.tensor(0.)` when a batch has no positives) while on another it requires grad; and the correct idioms it
leaves alone. The bad/good pair in rules/examples/GG503 (`*_head_loss_constant_without_positives.py`) runs them
under torch."""

from __future__ import annotations

from gradguard.config import Config
from gradguard.engine import analyze

HEAD = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class Head(nn.Module):
{body}
'''


def constant_loss_lines(body: str) -> list[int]:
    found = analyze(HEAD.format(body=body), "head.py", Config())
    return sorted(f.span.line for f in found.findings if f.code == "GG503")


def test_early_return_of_a_constant_is_found():
    body = '''
    def compute_loss(self, pred, target):
        if int((target > 0).sum()) == 0:
            return pred.new_tensor(0.0)
        return F.mse_loss(pred, target)
'''
    assert constant_loss_lines(body) == [11]


def test_the_constant_path_survives_a_sum_of_joined_names():
    body = '''
    def loss(self, pred, target):
        if int((target > 0).sum()) == 0:
            a = torch.zeros(())
            b = torch.zeros(())
        else:
            a = F.mse_loss(pred, target)
            b = F.l1_loss(pred, target)
        total = a + b
        with torch.no_grad():
            acc = (pred > 0).float().mean()
        return total, acc
'''
    assert constant_loss_lines(body) == [11, 12]


def test_correct_idioms_are_left_alone():
    body = '''
    def loss(self, pred, target):
        return F.mse_loss(pred, target) + torch.tensor(0.0)

    def get_loss(self, pred, target):
        if int((target > 0).sum()) == 0:
            return pred.sum() * 0
        return F.mse_loss(pred, target)

    def compute_loss(self, preds, target):
        loss = torch.zeros(())
        for p in preds:
            loss = loss + F.mse_loss(p, target)
        return loss

    def calc_loss(self, pred, target):
        loss = torch.zeros(())
        if self.use_mse:
            loss = loss + F.mse_loss(pred, target)
        return loss

    def total_loss(self, pred, target):
        loss = torch.zeros(())
        if pred.numel() > 0:
            loss += F.mse_loss(pred, target)
        return loss

    def forward_loss(self, pred, target):
        if pred.numel() == 0:
            zero = torch.zeros(())
            zero.requires_grad = True
            return zero
        return F.mse_loss(pred, target)

    def losses(self, pred, target):
        if pred.numel() == 0:
            a, b = torch.zeros(()), F.mse_loss(pred, target)
        else:
            a, b = F.mse_loss(pred, target), torch.zeros(())
        return a + b

    def train_loss(self, pred, target):
        return torch.tensor(0.0)

    def predict(self, pred):
        if pred.numel() == 0:
            return torch.zeros(())
        return pred.sum()
'''
    assert constant_loss_lines(body) == []


