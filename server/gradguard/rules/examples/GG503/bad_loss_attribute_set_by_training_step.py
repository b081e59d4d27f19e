"""`def backward(self): self.loss.backward()` where the step sets `self.loss` under `torch.no_grad()`.

`training_epoch` computes the batch's loss with grad switched off (an evaluation helper pasted into the step), so
the loss `backward()` runs on has no graph.
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
        self.loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn

    def training_epoch(self, batches):
        for x, y in batches:
            self.optimizer.zero_grad()
            self.loss = self._make_empty_loss()
            with torch.no_grad():
                self.loss += torch.nn.functional.mse_loss(self.model(x), y)
            self.backward()
            self.optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    strategy = Strategy(model, torch.optim.SGD(model.parameters(), lr=0.1))
    strategy.training_epoch([(torch.randn(4, 3), torch.randn(4, 1))])
    print("loss:", round(strategy.loss.item(), 4))
