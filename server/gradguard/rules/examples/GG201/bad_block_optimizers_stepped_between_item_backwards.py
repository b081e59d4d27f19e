"""`model, optimizer = load()`: `optimizer[idx].step()` between backward() calls on items of one loss.

Each block has its own optimizer and the blocks' losses are one tensor (Greedy InfoMax). The backward() of any of
its items goes through the whole graph of that tensor, so the first block's step changes a weight that the next
item's backward() needs. The model and its optimizers come from a loader the function does not show: their names
pair them. The last item's backward() frees the graph, but no iteration follows it.
"""
import torch
import torch.nn as nn


def fit(load_model_and_optimizer, batch):
    model, optimizer = load_model_and_optimizer()
    loss = model(batch)
    for idx, cur_loss in enumerate(loss):
        model.zero_grad()
        if idx == len(loss) - 1:
            cur_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        else:
            cur_loss.backward(retain_graph=True)
        optimizer[idx].step()  # expect GG201


class Blocks(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4)) for _ in range(2))

    def forward(self, x):
        losses = []
        for block in self.blocks:
            x = block(x)
            losses.append(x.pow(2).mean())
        return torch.stack(losses)


def build():
    model = Blocks()
    return model, [torch.optim.SGD(block.parameters(), lr=0.1) for block in model.blocks]


torch.manual_seed(0)
fit(build, torch.randn(8, 4))
