"""A GAN model steps its generator's and encoder's optimizers, then backpropagates through both.

`forward()` keeps `self.fake_B = self.netG(...)` and `self.mu2 = self.netE(self.fake_B)`; `update_G_and_E()`
backpropagates the reconstruction loss (keeping the graph), steps both optimizers, then backpropagates the latent
loss through `self.mu2`: netE's and netG's weights, saved by that graph, were changed in place (BicycleGAN #87).
"""
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))

    def forward(self, x, z):
        return self.net(torch.cat([x, z], 1))


class BiCycleModel:
    def __init__(self, netG, netE):
        self.netG = netG
        self.netE = netE
        self.optimizer_G = torch.optim.Adam(self.netG.parameters(), lr=1e-3)
        self.optimizer_E = torch.optim.Adam(self.netE.parameters(), lr=1e-3)

    def set_input(self, real_A, real_B):
        self.real_A = real_A
        self.real_B = real_B

    def forward(self):
        self.z_random = torch.randn(self.real_A.size(0), 2)
        self.fake_B = self.netG(self.real_A, self.z_random)
        self.mu2 = self.netE(self.fake_B)

    def backward_EG(self):
        self.loss_G_L1 = (self.fake_B - self.real_B).abs().mean()
        self.loss_G_L1.backward(retain_graph=True)

    def backward_G_alone(self):
        self.loss_z_L1 = (self.mu2 - self.z_random).abs().mean()
        self.loss_z_L1.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation

    def update_G_and_E(self):
        self.optimizer_G.zero_grad()
        self.optimizer_E.zero_grad()
        self.backward_EG()
        self.optimizer_G.step()  # expect GG201
        self.optimizer_E.step()  # expect GG201
        self.optimizer_G.zero_grad()
        self.backward_G_alone()
        self.optimizer_G.step()

    def optimize_parameters(self):
        self.forward()
        self.update_G_and_E()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BiCycleModel(Generator(), nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)))
    model.set_input(torch.randn(4, 4), torch.randn(4, 4))
    model.optimize_parameters()
    print("loss_z_L1:", round(model.loss_z_L1.item(), 4))
