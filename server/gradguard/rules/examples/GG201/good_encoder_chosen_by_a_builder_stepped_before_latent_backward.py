"""An encoder picked by a builder function is stepped only after the last backward() through it.

`define_E(kind)` builds one of two encoder classes; whichever it is, its linear layers saved their weights when
`forward()` ran it on the generator's output. `update_G_and_E` runs both backward() passes, then steps.
"""
import torch
import torch.nn as nn


class EncoderA(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

    def forward(self, x):
        return self.fc(x)


class EncoderB(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 2))

    def forward(self, x):
        return self.fc(x)


def define_E(kind):
    if kind == "a":
        net = EncoderA()
    else:
        net = EncoderB()
    return net


class Model:
    def __init__(self, kind, lambda_z=0.5):
        self.lambda_z = lambda_z
        self.netG = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 4))
        self.netE = define_E(kind)
        self.optimizer_G = torch.optim.Adam(self.netG.parameters(), lr=1e-3)
        self.optimizer_E = torch.optim.Adam(self.netE.parameters(), lr=1e-3)

    def forward(self):
        self.fake = self.netG(self.real)
        if self.lambda_z > 0.0:
            self.mu2 = self.netE(self.fake)

    def backward_EG(self):
        self.loss_G = (self.fake - self.real).abs().mean()
        self.loss_G.backward(retain_graph=True)

    def backward_G_alone(self):
        if self.lambda_z > 0.0:
            self.loss_z = self.mu2.abs().mean()
            self.loss_z.backward()

    def update_G_and_E(self):
        self.optimizer_G.zero_grad()
        self.optimizer_E.zero_grad()
        self.backward_EG()
        self.backward_G_alone()
        self.optimizer_G.step()
        self.optimizer_E.step()

    def optimize_parameters(self):
        self.forward()
        self.update_G_and_E()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model("b")
    model.real = torch.randn(4, 4)
    model.optimize_parameters()
    print("loss_z:", round(model.loss_z.item(), 4))
