"""Each block of a stack rewrites its own weight through `.data` before it runs: gradients are right.

A KAN-style network refits each layer's spline weight from the batch (`layer.update_grid(x)`, under no_grad,
writing `self.weight.data`) right before calling that layer. The loop built a new block on each pass, so the
write on a later pass changes another block's weight than the one the earlier pass's call saved: backward()
sees every block's weight as its own call saved it.
"""
import torch
import torch.nn as nn


class SplineLayer(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_out, n_in))
        self.scaler = nn.Parameter(torch.ones(n_out))

    @property
    def scaled_weight(self):
        return self.weight * self.scaler.unsqueeze(-1)

    def forward(self, x):
        return torch.tanh(x @ self.scaled_weight.T)

    @torch.no_grad()
    def update_grid(self, x):
        coeff = self.scaled_weight
        out = x @ coeff.T
        self.weight.data.copy_(coeff * 0.5 + out.mean() * 0.1)


class KAN(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList()
        for n_in, n_out in zip(sizes, sizes[1:]):
            self.layers.append(SplineLayer(n_in, n_out))

    def forward(self, x, update_grid=False):
        for layer in self.layers:
            if update_grid:
                layer.update_grid(x)
            x = layer(x)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model, x = KAN([3, 4, 2]), torch.randn(5, 3)
    model(x, update_grid=True).sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    model(x).sum().backward()  # the same weights, no update: the gradients the first backward() must have given
    assert all(torch.allclose(g, p.grad) for g, p in zip(grads, model.parameters()))
    print("grad norms:", [round(float(g.norm()), 4) for g in grads])
