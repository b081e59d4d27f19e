"""A subclass of nn.Sequential runs its layers in its own forward, then adds an embedding out of place."""
import torch
import torch.nn as nn


class EmbedSequential(nn.Sequential):
    def forward(self, x, emb):
        for layer in self:
            x = layer(x)
        x = x + emb
        return x


class Denoiser(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.body = EmbedSequential(nn.Linear(dim, dim), nn.Tanh())
        self.out = nn.Linear(dim, dim)

    def forward(self, x, emb):
        return self.out(self.body(x, emb))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Denoiser(3)
    model(torch.randn(2, 3), torch.randn(2, 3)).sum().backward()
    print("grad norm:", round(model.out.weight.grad.norm().item(), 4))
