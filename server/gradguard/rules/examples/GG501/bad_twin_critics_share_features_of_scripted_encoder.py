"""Twin critics share a scripted encoder's features, normalised by std: the second backward fails."""
import torch
import torch.nn as nn
from torch.utils.data import default_collate


class TwinCritic:
    def __init__(self, dim=4):
        self.encoder = torch.jit.script(nn.Linear(dim, dim))
        self.q1 = nn.Linear(dim, 1)
        self.q2 = nn.Linear(dim, 1)
        params = list(self.encoder.parameters()) + list(self.q1.parameters()) + list(self.q2.parameters())
        self.opt = torch.optim.Adam(params, lr=1e-3)

    def learn(self, samples):
        data = default_collate(samples)
        feats = self.encoder(data["obs"])
        feats = (feats - feats.mean()) / (feats.std() + 1e-8)
        losses = {
            "critic": ((self.q1(feats).squeeze(-1) - data["reward"]) ** 2).mean(),
            "critic_twin": ((self.q2(feats).squeeze(-1) - data["reward"]) ** 2).mean(),
        }
        self.opt.zero_grad()
        for k in losses:
            losses[k].backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
        self.opt.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    samples = [{"obs": torch.randn(4), "reward": torch.randn(())} for _ in range(8)]
    TwinCritic().learn(samples)
