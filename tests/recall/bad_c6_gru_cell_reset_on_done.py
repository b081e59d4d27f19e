"""Category 6: an RL policy resets its GRUCell state in place on episode ends after the head used it."""
import torch
from torch import nn


class RecurrentPolicy(nn.Module):
    def __init__(self, obs_dim, hidden, n_actions):
        super().__init__()
        self.cell = nn.GRUCell(obs_dim, hidden)
        self.pi = nn.Linear(hidden, n_actions)

    def forward(self, obs_seq, dones, h):
        logits = []
        for t in range(obs_seq.shape[0]):
            h = self.cell(obs_seq[t], h)
            logits.append(self.pi(h))
            h *= (1.0 - dones[t]).unsqueeze(-1)  # BUG
        return torch.stack(logits), h


if __name__ == "__main__":
    pol = RecurrentPolicy(3, 5, 2)
    out, _ = pol(torch.randn(4, 2, 3), torch.zeros(4, 2), torch.zeros(2, 5))
    out.sum().backward()
