"""Category 1: a class-weighted NLL loss that rescales the log-probabilities in place."""
import torch
import torch.nn.functional as F
from torch import nn


class WeightedNLLLoss(nn.Module):
    def __init__(self, class_weights):
        super().__init__()
        self.register_buffer("class_weights", class_weights)

    def forward(self, logits, target):
        logp = F.log_softmax(logits, dim=1)
        logp *= self.class_weights.view(1, -1)  # BUG
        return -logp.gather(1, target.unsqueeze(1)).mean()


if __name__ == "__main__":
    crit = WeightedNLLLoss(torch.tensor([1.0, 2.0, 0.5]))
    logits = torch.randn(4, 3, requires_grad=True)
    crit(logits, torch.tensor([0, 1, 2, 1])).backward()
