"""A Lightning module whose `validation_step` changes an activation in place: it runs without grad.

Lightning's loop calls `validation_step` (and `test_step`, `predict_step`) under `torch.no_grad()` or
`torch.inference_mode()`, so no graph is recorded there and no backward() follows; the loop below does what
`Trainer.fit` does with the two steps.
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
        return F.cross_entropy(self(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        probs = torch.sigmoid(self(x))
        probs[probs < 0.1] = 0.0
        return F.mse_loss(probs, F.one_hot(y, 3).float())


torch.manual_seed(0)
model = Classifier()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
batch = (torch.randn(8, 4), torch.randint(0, 3, (8,)))
for epoch in range(2):
    loss = model.training_step(batch, 0)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        print("val loss:", model.validation_step(batch, 0).item())
