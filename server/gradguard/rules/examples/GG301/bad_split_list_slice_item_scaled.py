"""A piece taken from a slice of `list(torch.split_with_sizes(...))` is still a split view: scaling it in place fails.

The slice makes a new list, but its items are the same views of the prediction that `split_with_sizes` returned;
`weights[0].mul_(...)` changes one of them in place, which torch forbids for the outputs of a multi-output view op.
"""
import torch

torch.manual_seed(0)


def parse_params(params, weight_sizes, bias_sizes, scale):
    num_layers = len(weight_sizes)
    pieces = list(torch.split_with_sizes(params, weight_sizes + bias_sizes, dim=1))
    weights = pieces[:num_layers]
    weights[0].mul_(scale)  # expect GG301; torch raises: is a view and is being modified inplace
    return weights, pieces[num_layers:]


if __name__ == "__main__":
    head = torch.nn.Linear(3, 12)
    weights, biases = parse_params(head(torch.randn(2, 3)), [4, 4], [2, 2], 0.5)
    loss = sum(w.sum() for w in weights) + sum(b.sum() for b in biases)
    loss.backward()
    print("head.weight.grad:", [round(v, 4) for v in head.weight.grad.sum(0).tolist()])
