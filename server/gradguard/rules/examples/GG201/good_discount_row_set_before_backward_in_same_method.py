"""The first row set by building a new tensor (`torch.cat`): the slice `mul` kept is left as it was.

The fix dreamer-pytorch made: the discount row is no longer written into the tensor whose slice `mul` saved.
"""
import torch
import torch.nn as nn
from torch.distributions import Normal


class WorldModel(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.value_head = nn.Linear(dim, 1)

    def value_model(self, feat):
        return Normal(self.value_head(feat), 1.0)


class Agent:
    def __init__(self, model):
        self.model = model


class ActorLearner:
    def __init__(self, agent, discount=0.99):
        self.agent = agent
        self.discount = discount

    def compute_return(self, value, discount):
        return value[1:] * discount

    def optimize(self, feat):
        model = self.agent.model
        value = model.value_model(feat).mean
        discount_arr = self.discount * torch.ones_like(value)
        returns = self.compute_return(value, discount_arr[:-1])
        discount_arr = torch.cat([torch.ones_like(discount_arr[:1]), discount_arr[1:]])
        loss = -(torch.cumprod(discount_arr[:-1], 0) * returns).mean()
        loss.backward()
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    learner = ActorLearner(Agent(WorldModel(4)))
    learner.optimize(torch.randn(5, 4))
    print("grad norm:", round(learner.agent.model.value_head.weight.grad.norm().item(), 4))
