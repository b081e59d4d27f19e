"""The same update, every backward() before any step(): the graph is used before a weight changes."""
import torch
import torch.nn as nn


def update(optimizers, losses):
    for opt, loss in zip(optimizers, losses):
        opt.zero_grad()
        loss.backward(retain_graph=True)
    for opt in optimizers:
        opt.step()


torch.manual_seed(0)
manager = nn.Linear(6, 6)
worker = nn.Linear(6, 3)
goal = manager(torch.randn(5, 6))
out = worker(torch.tanh(goal))
worker_loss = out.pow(2).mean()
manager_loss = goal.pow(2).mean() + out.mean()
update((torch.optim.SGD(worker.parameters(), lr=0.1), torch.optim.SGD(manager.parameters(), lr=0.1)),
       (worker_loss, manager_loss))
print("worker.weight[0]:", [round(v, 4) for v in worker.weight[0].tolist()])
print("manager.weight[0]:", [round(v, 4) for v in manager.weight[0].tolist()])
