"""A trainer's step over (optimizer, loss) pairs handed in: a step() before the next loss's backward().

The losses come from one forward pass of a manager and a worker (LeakGAN in TextBox), so the first backward()
keeps the graph; the worker's step changes the weight its linear layer saved for the gradient of its input (the
manager's output), and the manager loss's backward() on the next pass goes through that layer.
"""
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, grad_clip):
        self.grad_clip = grad_clip

    def optimize_step(self, losses, model, opt):
        for i, (o, loss) in enumerate(zip(opt, losses)):
            o.zero_grad()
            loss.backward(retain_graph=True if i < len(opt) - 1 else False)  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
            torch.nn.utils.clip_grad_norm_(model.parameters(), self.grad_clip)
            o.step()  # expect GG201


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.ModuleDict({"manager": nn.Linear(6, 6), "worker": nn.Linear(6, 3)})
    goal = model["manager"](torch.randn(5, 6))
    out = model["worker"](torch.tanh(goal))
    opts = (torch.optim.SGD(model["worker"].parameters(), lr=0.1),
            torch.optim.SGD(model["manager"].parameters(), lr=0.1))
    Trainer(1.0).optimize_step((out.pow(2).mean(), goal.pow(2).mean() + out.mean()), model, opts)  # expect GG201
    print("worker.weight[0]:", [round(v, 4) for v in model["worker"].weight[0].tolist()])
