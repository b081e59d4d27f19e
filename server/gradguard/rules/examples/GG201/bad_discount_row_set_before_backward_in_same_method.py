"""`discount_arr[0] = 1` after `mul` kept its slice, in a training step (it runs backward() itself).

The file does not show what `self.agent.model` is, but a call on tensors in a training step is the model's
forward, whose output requires grad: `mul` keeps the `discount_arr[:-1]` slice it multiplies with the value, and
the row written into `discount_arr` changes that slice (dreamer-pytorch's actor loss).
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
        discount_arr[0] = 1  # expect GG201
        loss = -(torch.cumprod(discount_arr[:-1], 0) * returns).mean()
        loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
        return loss


if __name__ == "__main__":
    torch.manual_seed(0)
    learner = ActorLearner(Agent(WorldModel(4)))
    learner.optimize(torch.randn(5, 4))
    print("grad norm:", round(learner.agent.model.value_head.weight.grad.norm().item(), 4))
