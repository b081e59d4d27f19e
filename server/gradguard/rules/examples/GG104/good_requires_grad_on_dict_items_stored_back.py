"""Each tensor of a dict made a leaf and stored back under its own key: every key is read once.

pyro's test_cuda: `for key in grad_params: val = params[key].clone(); val.requires_grad = True; params[key] = val`
over the keys of `params.items()`. The store replaces an item of the mapping; the next iteration reads another
key, whose tensor was never touched, so each clone is of a tensor without a graph and torch sets the flag.
"""
import torch

torch.manual_seed(0)


def make_leaves(params, w):
    grad_params = [key for key, val in params.items() if torch.is_tensor(val) and val.dtype == torch.float32]
    for key in grad_params:
        val = params[key].clone()
        val.requires_grad = True
        params[key] = val
    loss = sum((params[key] * w).sum() for key in grad_params)
    loss.backward()
    return [params[key].grad for key in grad_params]


print(make_leaves({"loc": torch.randn(2), "scale": torch.rand(2), "n": torch.tensor(3)}, torch.ones(2)))
