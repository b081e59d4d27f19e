"""An embedding layer the configuration's default builds, whose ReLU output the next layer changes.

`config.get("embedding_size", 8)`: `__init__` builds `self.embed` whenever the size is not 0, which is what a
configuration without the key gives, and a module is always true, so `if self.embed:` runs the ReLU. Each layer is picked by another default
(`module_type="individual"`), whose `PositionEmbedding` adds its parameter into its argument with `+=`: the ReLU's
output, which ReLU keeps for backward. The first training step raises.
"""
import torch
import torch.nn as nn


class PositionEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.emb = nn.Parameter(torch.zeros(dim))

    def forward(self, data):
        data += self.emb
        return data


class Individual(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.position_embedding = PositionEmbedding(dim)
        self.fc = nn.Linear(dim, dim)

    def forward(self, data):
        data = self.position_embedding(data)
        return self.fc(data)


class Shared(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, data):
        return self.fc(data)


class Layer(nn.Module):
    def __init__(self, dim, module_type):
        super().__init__()
        if module_type == "individual":
            self.layer = Individual(dim)
        else:
            self.layer = Shared(dim)

    def forward(self, data):
        return self.layer(data)


class Net(nn.Module):
    def __init__(self, config):
        super().__init__()
        size = config.get("embedding_size", 8)
        if size:
            self.embed = nn.Linear(4, size)
        else:
            self.embed = None
        module_type = config.get("module_type", "individual")
        self.layers = nn.ModuleList()
        for _ in range(2):
            self.layers.append(Layer(size or 4, module_type))

    def forward(self, batch):
        data = batch["X"]
        if self.embed:
            data = torch.relu(self.embed(data))
        for layer in self.layers:
            data = layer(data)  # expect GG201
        return data


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Net({})
    out = net({"X": torch.randn(2, 4)})
    out.sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("embed grad norm:", round(net.embed.weight.grad.norm().item(), 4))
