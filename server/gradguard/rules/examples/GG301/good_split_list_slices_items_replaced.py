"""Slices of a `list(torch.split_with_sizes(...))` are new lists: `weights[i] = ...` replaces an item.

A dynamic head predicts one flat parameter vector per instance, splits it into weights and biases, and takes the
first pieces as weights and the rest as biases by slicing the Python list. Assigning the reshaped piece back into
the sliced list changes no tensor, so nothing is a view modified in place.
"""
import torch

torch.manual_seed(0)


def parse_params(params, weight_sizes, bias_sizes, channels):
    num_layers = len(weight_sizes)
    pieces = list(torch.split_with_sizes(params, weight_sizes + bias_sizes, dim=1))
    weights = pieces[:num_layers]
    biases = pieces[num_layers:]
    for i in range(num_layers):
        weights[i] = weights[i].reshape(-1, channels, channels)
        biases[i] = biases[i].reshape(-1, channels, 1)
    return weights, biases


if __name__ == "__main__":
    head = torch.nn.Linear(3, 12)
    weights, biases = parse_params(head(torch.randn(2, 3)), [4, 4], [2, 2], 2)
    feats = torch.randn(2, 2, 5)
    for w, b in zip(weights, biases):
        feats = torch.relu(w @ feats + b)
    feats.sum().backward()
    print("head.weight.grad:", [round(v, 4) for v in head.weight.grad.sum(0).tolist()])
