"""Category 1: a VAE-style encode() ends in tanh; forward adds noise to its result in place."""
import torch
from torch import nn


class NoisyAutoencoder(nn.Module):
    def __init__(self, dim=10, latent=4, noise_std=0.1):
        super().__init__()
        self.enc = nn.Linear(dim, latent)
        self.dec = nn.Linear(latent, dim)
        self.noise_std = noise_std

    def encode(self, x):
        return torch.tanh(self.enc(x))

    def forward(self, x):
        z = self.encode(x)
        z = z + torch.randn_like(z) * self.noise_std
        return self.dec(z)


if __name__ == "__main__":
    ae = NoisyAutoencoder()
    ae(torch.randn(3, 10)).pow(2).mean().backward()
