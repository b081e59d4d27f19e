"""Category 2: the training script leaves the ReLUs out of place (no `model.apply(inplace_relu)`)."""
import torch
import torch.nn as nn


def inplace_relu(m):
    classname = m.__class__.__name__
    if classname.find("ReLU") != -1:
        m.inplace = True


class Classifier(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.relu = nn.ReLU()
        self.out = nn.Linear(dim, classes)

    def forward(self, x):
        gate = torch.sigmoid(self.fc(x))
        gate = self.relu(gate)
        return self.out(gate * x)


def train(loader, epochs=1):
    model = Classifier(4, 3)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    train([(torch.randn(5, 4), torch.randint(0, 3, (5,)))])
