"""An ALS step writes a solved row into a parameter that requires grad, outside `torch.no_grad()`.

The solver is an option with a default filled in by `hasattr`: the options object may already hold "als", so the
branch that writes the row is checked.
"""
import torch
import torch.nn as nn


class Options:
    def __init__(self, **given):
        self.__dict__.update(given)


torch.manual_seed(0)
model = nn.Embedding(3, 2)
opts = Options(solver="als")
if not hasattr(opts, "solver"):
    opts.solver = "sgd"
if opts.solver == "als":
    solved = torch.linalg.solve(torch.eye(2), torch.ones(2))
    model.weight[0] = solved  # expect GG102; torch raises: a view of a leaf Variable that requires grad is being used in an in-place operation.
print("done")
