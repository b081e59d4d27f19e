"""The same model keeps the weights it regularises and computes the L2 term anew for each batch.

Every backward() goes through norms of the weights as they are after the last step."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    def __init__(self, l2=1e-3):
        super().__init__()
        self.linear = nn.Linear(4, 1)
        self.l2 = l2

    def regularization_loss(self):
        reg = torch.zeros((1,))
        for w in self.linear.parameters():
            reg = reg + self.l2 * torch.norm(w, p=2)
        return reg

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
                total_loss = F.mse_loss(model(x), y) + self.regularization_loss()
                optim.zero_grad()
                total_loss.backward(retain_graph=True)
                optim.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model()
    model.compile("adam")
    model.fit([(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)])
    print("linear.weight[0]:", [round(v, 4) for v in model.linear.weight[0].tolist()])
