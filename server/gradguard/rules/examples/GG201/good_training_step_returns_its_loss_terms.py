"""A training step that runs its own backward(), steps, and returns its loss terms for logging."""
import torch
import torch.nn as nn


class Loss(nn.Module):
    def forward(self, output, target):
        return {"l1": (output - target).abs().mean(), "l2": ((output - target) ** 2).mean()}


class Trainer:
    def __init__(self, params):
        self.params = params
        self.model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4))
        self.optim = torch.optim.SGD(self.model.parameters(), lr=0.1)
        self.criterion = Loss()

    def step(self, x, target):
        output = self.model(x)
        loss_dict = self.criterion(output, target)
        loss = 0.0
        for key, coef in self.params["lambda_dict"].items():
            loss += coef * loss_dict[key]
        self.optim.zero_grad()
        loss.backward()
        self.optim.step()
        return loss_dict


if __name__ == "__main__":
    torch.manual_seed(0)
    trainer = Trainer({"lambda_dict": {"l1": 1.0, "l2": 0.5}})
    stats = trainer.step(torch.randn(3, 4), torch.randn(3, 4))
    print({k: v.item() for k, v in stats.items()})
