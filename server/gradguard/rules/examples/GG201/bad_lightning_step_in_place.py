"""A Lightning module whose `training_step` changes an activation in place: it runs with grad.

The sigmoid saved its output for backward, so the in-place write makes the training loss's backward() raise; the
loop below does what `Trainer.fit` does with the two steps.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):  # the part of lightning.LightningModule this example uses
    pass


class Classifier(LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 3)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        probs = torch.sigmoid(self(x))
        probs[probs < 0.1] = 0.0  # expect GG201
        return F.mse_loss(probs, F.one_hot(y, 3).float())

    def validation_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)


torch.manual_seed(0)
model = Classifier()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
batch = (torch.randn(8, 4), torch.randint(0, 3, (8,)))
for epoch in range(2):
    loss = model.training_step(batch, 0)
    opt.zero_grad()
    loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    opt.step()
    with torch.no_grad():
        print("val loss:", model.validation_step(batch, 0).item())
