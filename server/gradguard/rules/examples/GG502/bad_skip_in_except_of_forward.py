"""A forward in `try:` whose `except:` only prints: the loss reuses the previous batch's freed output."""
import torch
import torch.nn.functional as F


def train_epoch(model, loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        try:
            output = model(x)
        except RuntimeError:
            print("bad batch:", x.shape)
        loss = F.cross_entropy(output, y)
        loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
        optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = [(torch.randn(2, 4), torch.tensor([0, 1])), (torch.randn(2, 5), torch.tensor([0, 1]))]
    train_epoch(model, batches, optimizer)
    print("trained:", model.weight.grad is not None)
