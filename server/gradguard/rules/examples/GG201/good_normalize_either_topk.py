"""The same router with `weights = weights / torch.norm(...)`: the saved tensor is left alone."""
import torch
import torch.nn as nn

torch.manual_seed(0)


class Router(nn.Module):
    def __init__(self, dim, experts, top_k):
        super().__init__()
        self.layer = nn.Linear(dim, experts, bias=False)
        self.top_k = top_k

    def pick(self, scores):
        if self.top_k == 1:
            return scores.max(dim=-1)
        return torch.topk(scores, self.top_k, dim=-1)

    def forward(self, x):
        scores = self.layer(x).softmax(dim=-1)
        weights, indices = self.pick(scores)
        weights = weights / torch.norm(weights, p=1, dim=-1, keepdim=True)
        return weights, indices


router = Router(4, 5, top_k=2)
weights, chosen = router(torch.randn(3, 4))
(weights * torch.arange(1.0, 3.0)).sum().backward()
print("weights:", [round(v, 4) for v in weights.flatten().tolist()])
print("layer.weight.grad[0]:", [round(v, 4) for v in router.layer.weight.grad[0].tolist()])
