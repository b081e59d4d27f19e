"""`self.loss.backward()` in a method; `__init__` starts `self.loss` as zeros and the step sets it.

`training_epoch` replaces `self.loss` with the batch's loss before it calls `backward()`; the zeros that
`__init__` put there are never what backward() runs on.
"""
import torch


class Strategy:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer
        self.loss = self._make_empty_loss()

    def _make_empty_loss(self):
        return torch.zeros(1)

    def backward(self):
        self.loss.backward()

    def training_epoch(self, batches):
        for x, y in batches:
            self.optimizer.zero_grad()
            self.loss = self._make_empty_loss()
            self.loss += torch.nn.functional.mse_loss(self.model(x), y)
            self.backward()
            self.optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    strategy = Strategy(model, torch.optim.SGD(model.parameters(), lr=0.1))
    strategy.training_epoch([(torch.randn(4, 3), torch.randn(4, 1))])
    print("loss:", round(strategy.loss.item(), 4))
