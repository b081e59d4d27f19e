"""REINFORCE keeps the episode's log-probabilities on the policy and never empties the list.

`policy.log_probs` is a list the policy's attribute holds; each episode appends to it and backpropagates through
all of it, so the second episode's backward() goes again through the first episode's graph, already freed.
"""
import torch
import torch.nn as nn


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        self.log_probs = []

    def act(self, state):
        probs = torch.softmax(self.fc(state), dim=-1)
        action = torch.multinomial(probs, 1).item()
        self.log_probs.append(torch.log(probs[action]))
        return action


torch.manual_seed(0)
policy = Policy()
optimizer = torch.optim.SGD(policy.parameters(), lr=0.01)
for episode in range(2):
    for t in range(3):
        policy.act(torch.randn(4))
    loss = -torch.stack(policy.log_probs).sum()
    optimizer.zero_grad()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    optimizer.step()
print("done")
