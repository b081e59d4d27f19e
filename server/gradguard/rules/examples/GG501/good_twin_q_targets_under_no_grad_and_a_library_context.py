"""TD3 target under `with torch.no_grad(), record_function(...)`: a library context keeps grad off."""
import torch
import torch.nn as nn
import torch.autograd.profiler as profiler


class TwinQ:
    def __init__(self, dim=4):
        self.policy = nn.Linear(dim, 2)
        self.q1 = nn.Linear(dim + 2, 1)
        self.q2 = nn.Linear(dim + 2, 1)
        self.opt1 = torch.optim.Adam(self.q1.parameters(), lr=1e-3)
        self.opt2 = torch.optim.Adam(self.q2.parameters(), lr=1e-3)

    def update(self, state, action, reward, next_state):
        with torch.no_grad(), profiler.record_function("target"):
            next_action = torch.tanh(self.policy(next_state))
            next_sa = torch.cat([next_state, next_action], 1)
            target = reward + 0.99 * torch.min(self.q1(next_sa), self.q2(next_sa)).flatten()
        sa = torch.cat([state, action], 1)
        loss1 = ((self.q1(sa).flatten() - target) ** 2).mean()
        loss2 = ((self.q2(sa).flatten() - target) ** 2).mean()
        self.opt1.zero_grad()
        loss1.backward()
        self.opt1.step()
        self.opt2.zero_grad()
        loss2.backward()
        self.opt2.step()
        return loss1.item(), loss2.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    agent = TwinQ()
    print(agent.update(torch.randn(8, 4), torch.randn(8, 2), torch.randn(8), torch.randn(8, 4)))
