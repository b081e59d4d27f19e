"""SAC's temperature loss reads `self.alpha`, a `@property` that returns `self.log_alpha.exp()`.

`log_alpha` is made to require grad after `.to(device)`; the property computes from it on every read, so the
loss requires grad and backward() runs.
"""
import numpy as np
import torch


class Agent:
    def __init__(self, device="cpu", init_temperature=0.1):
        self.log_alpha = torch.tensor(np.log(init_temperature)).to(device)
        self.log_alpha.requires_grad = True
        self.target_entropy = -2.0
        self.log_alpha_optimizer = torch.optim.Adam([self.log_alpha], lr=1e-3)

    @property
    def alpha(self):
        return self.log_alpha.exp()

    def update_alpha(self, log_pi):
        self.log_alpha_optimizer.zero_grad()
        alpha_loss = (self.alpha * (-log_pi - self.target_entropy).detach()).mean()
        alpha_loss.backward()
        self.log_alpha_optimizer.step()


if __name__ == "__main__":
    agent = Agent()
    agent.update_alpha(torch.tensor([[-1.0], [-3.0]]))
    print("log_alpha:", round(agent.log_alpha.item(), 4))
