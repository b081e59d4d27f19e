"""An L2 term computed once, in `__init__`, added to every batch's loss (DeepCTR-style).

`compile('adam')` keeps an optimizer of the model's own parameters, built by a helper that turns the string into
one; `fit` reads it back. `torch.norm` saved the weight; `optim.step()` changes it in place; the next batch's loss
adds the same term, and its backward() goes through that norm again (`retain_graph=True` only hides the first,
other error: 'Trying to backward through the graph a second time').
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, l2=1e-3):
        super().__init__()
        self.linear = nn.Linear(4, 1)
        self.reg_loss = torch.zeros((1,))
        self.add_regularization_loss(self.linear.parameters(), l2)

    def add_regularization_loss(self, weights, l2):
        reg = torch.zeros((1,))
        for w in weights:
            reg = reg + l2 * torch.norm(w, p=2)
        self.reg_loss = self.reg_loss + reg

    def forward(self, x):
        return self.linear(x)

    def compile(self, optimizer):
        self.optim = self._get_optim(optimizer)

    def _get_optim(self, optimizer):
        if isinstance(optimizer, str):
            if optimizer == "sgd":
                optim = torch.optim.SGD(self.parameters(), lr=0.01)
            elif optimizer == "adam":
                optim = torch.optim.Adam(self.parameters())
            else:
                raise NotImplementedError(optimizer)
        else:
            optim = optimizer
        return optim

    def fit(self, batches, epochs=1):
        model = self.train()
        optim = self.optim
        for _ in range(epochs):
            for x, y in batches:
                total_loss = F.mse_loss(model(x), y) + self.reg_loss
                optim.zero_grad()
                total_loss.backward(retain_graph=True)  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
                optim.step()  # expect GG201


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model()
    model.compile("adam")
    model.fit([(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)])
    print("linear.weight[0]:", [round(v, 4) for v in model.linear.weight[0].tolist()])
