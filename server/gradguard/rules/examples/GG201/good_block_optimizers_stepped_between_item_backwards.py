"""`model, optimizer = load()`: each item of one loss backpropagated, then every block stepped.

The fix of the bad twin (Greedy InfoMax's): the steps wait for the last backward(). The last item's backward() frees
the graph, which no later iteration goes through.
"""
import torch
import torch.nn as nn


def fit(load_model_and_optimizer, batch):
    model, optimizer = load_model_and_optimizer()
    loss = model(batch)
    model.zero_grad()
    for idx, cur_loss in enumerate(loss):
        if idx == len(loss) - 1:
            cur_loss.backward()
        else:
            cur_loss.backward(retain_graph=True)
    for opt in optimizer:
        opt.step()
    return model


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
model = fit(build, torch.randn(8, 4))
print("block 0 weight[0]:", [round(v, 4) for v in model.blocks[0][0].weight[0].tolist()])
