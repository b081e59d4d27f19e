"""Category 5: A fine-tuning trainer with no-decay parameter groups steps before the auxiliary loss's backward().

The optimizer gets `model`'s parameters split into two groups by name, so it steps every parameter of `model`.
`aux` goes through `self.model.encoder`, whose linear layers saved their weights; `optimizer.step()` changes them
in place before `aux.backward()`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Trainer:
    def __init__(self, model, lr, weight_decay):
        self.model = model
        no_decay = ["bias", "norm.weight"]
        groups = [
            {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)],
             "weight_decay": weight_decay},
            {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)],
             "weight_decay": 0.0},
        ]
        self.optimizer = torch.optim.AdamW(groups, lr=lr)

    def training_step(self, x, y):
        hidden = self.model.encoder(x)
        loss = F.cross_entropy(self.model.classifier(hidden), y)
        aux = 0.1 * hidden.pow(2).mean()
        self.optimizer.zero_grad()
        loss.backward(retain_graph=True)
        self.optimizer.step()  # BUG
        aux.backward()
        return loss.item()


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 8))
        self.norm = nn.LayerNorm(8)
        self.classifier = nn.Linear(8, 3)


if __name__ == "__main__":
    torch.manual_seed(0)
    trainer = Trainer(Classifier(), lr=1e-3, weight_decay=0.01)
    print("loss:", round(trainer.training_step(torch.randn(5, 4), torch.tensor([0, 1, 2, 0, 1])), 4))
