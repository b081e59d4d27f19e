"""A piece of a slice of `list(x.split_with_sizes(...))` is a split view: scaling it in place fails.

The slice makes a new list, but its items are the same views of the prediction that `split_with_sizes` returned;
`weights[0].mul_(...)` changes one of them in place, which torch forbids for the outputs of a multi-output view op.
"""
import torch
import torch.nn as nn


class DynamicHead(nn.Module):
    def __init__(self, dim, weight_sizes, bias_sizes):
        super().__init__()
        self.head = nn.Linear(dim, sum(weight_sizes) + sum(bias_sizes))
        self.sizes = weight_sizes + bias_sizes
        self.num_layers = len(weight_sizes)

    def forward(self, x):
        pieces = list(torch.split_with_sizes(self.head(x), self.sizes, dim=1))
        weights = pieces[:self.num_layers]
        weights[0].mul_(0.5)  # expect GG301; torch raises: is a view and is being modified inplace
        return weights, pieces[self.num_layers:]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DynamicHead(3, [4, 4], [2, 2])
    weights, biases = model(torch.randn(2, 3))
    loss = sum(w.sum() for w in weights) + sum(b.sum() for b in biases)
    loss.backward()
    print("head.weight.grad:", [round(v, 4) for v in model.head.weight.grad.sum(0).tolist()])
