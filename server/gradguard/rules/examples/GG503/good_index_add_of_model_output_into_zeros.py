"""Per-system energies summed into zeros with `index_add_`: the zeros take the model output's graph.

`energy_step` gets its backbone and head as arguments and calls them on a batch object it builds; what comes back
is unknown, but writing it into `torch.zeros(...)` in place makes the zeros part of its graph, so the
autograd.grad() on their sum works.
"""
import torch
import torch.nn as nn


class Batch:
    def __init__(self, pos, system):
        self.pos = pos
        self.system = system


def energy_step(backbone, head, pos):
    num_systems = pos.shape[0] // 2  # two atoms per system
    batch = Batch(pos, torch.arange(pos.shape[0]) // 2)
    with torch.set_grad_enabled(True):
        features = backbone(batch)
        node_energy = head(features["node"])
        energy = torch.zeros(num_systems)
        energy.index_add_(0, batch.system, node_energy.view(-1))
        (forces,) = torch.autograd.grad([energy.sum()], [batch.pos])
    return energy.detach(), -forces


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(3, 8)

    def forward(self, batch):
        return {"node": torch.tanh(self.embed(batch.pos))}


if __name__ == "__main__":
    torch.manual_seed(0)
    pos = torch.randn(4, 3, requires_grad=True)
    energy, forces = energy_step(Backbone(), nn.Linear(8, 1), pos)
    print("forces:", [[round(v, 4) for v in row] for row in forces.tolist()])
