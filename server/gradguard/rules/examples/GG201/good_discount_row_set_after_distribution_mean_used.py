"""The first discount made 1 by `torch.cat`, a new tensor: the slice `mul` kept is left as it was."""
import torch
import torch.nn as nn
from torch.distributions import Normal


class ValueModel(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, 1)

    def forward(self, feat):
        return Normal(self.fc(feat), 1.0)


def actor_loss(value_model, feat, discount=0.99):
    value = value_model(feat).mean
    discount_arr = discount * torch.ones_like(value)
    returns = value[1:] * discount_arr[:-1]
    discount_arr = torch.cat([torch.ones_like(discount_arr[:1]), discount_arr[1:]])
    weights = torch.cumprod(discount_arr[:-1], 0)
    return -(weights * returns).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ValueModel(4)
    loss = actor_loss(model, torch.randn(5, 4))
    loss.backward()
    print("grad norm:", round(model.fc.weight.grad.norm().item(), 4))
