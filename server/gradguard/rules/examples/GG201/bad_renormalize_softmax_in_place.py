"""Mixture-of-experts routing that renormalizes softmax weights with `/=`.

softmax keeps its output for backward; dividing it in place (here only when the top-k
renormalization flag is on) bumps its version and backward() fails. Pattern seen in real
model code.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Router(nn.Module):
    def __init__(self, dim, experts, top_k=2, norm_topk_prob=True):
        super().__init__()
        self.gate = nn.Linear(dim, experts)
        self.top_k = top_k
        self.norm_topk_prob = norm_topk_prob

    def forward(self, x):
        scores, indices = self.gate(x).topk(self.top_k, dim=-1)
        routing_weights = F.softmax(scores, dim=-1)
        if self.norm_topk_prob:
            routing_weights /= routing_weights.sum(dim=-1, keepdim=True)  # expect GG201
        return routing_weights, indices


router = Router(4, 6)
weights, chosen = router(torch.randn(3, 4))
(weights * torch.arange(1.0, 3.0)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("weights:", [round(v, 4) for v in weights.flatten().tolist()])
print("gate.bias.grad:", [round(v, 4) for v in router.gate.bias.grad.tolist()])
