"""Category 6: a training loop detaches the predictions for its metrics, then computes the loss from them."""
import torch
import torch.nn as nn


def train(model, loader, optimizer, criterion, metrics):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        preds = model(x).detach().cpu()
        metrics.append((preds.argmax(1) == y).float().mean().item())
        loss = criterion(preds, y)
        loss.backward()  # BUG
        optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    metrics = []
    train(model, [(torch.randn(5, 4), torch.randint(0, 3, (5,)))] * 2, torch.optim.SGD(model.parameters(), lr=0.1), nn.CrossEntropyLoss(), metrics)
    print(metrics)
