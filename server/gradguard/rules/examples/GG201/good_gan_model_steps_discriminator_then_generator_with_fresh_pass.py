"""A pix2pix-style model steps D, then G, whose loss goes through D in a pass made after D's step.

`forward()` keeps `self.fake_B = self.netG(self.real_A)`. `backward_D` feeds D the detached fake, so D's loss
holds no graph of G; D's step changes D's weights, and `backward_G` then runs D again on the fake: that new pass
saved the updated weights, and G's weights, saved by `forward()`, are unchanged until G's own step.
"""
import torch
import torch.nn as nn


class Pix2PixModel:
    def __init__(self, netG, netD):
        self.netG = netG
        self.netD = netD
        self.optimizer_G = torch.optim.Adam(self.netG.parameters(), lr=1e-3)
        self.optimizer_D = torch.optim.Adam(self.netD.parameters(), lr=1e-3)

    def set_input(self, real_A, real_B):
        self.real_A = real_A
        self.real_B = real_B

    def set_requires_grad(self, net, requires_grad):
        for param in net.parameters():
            param.requires_grad = requires_grad

    def forward(self):
        self.fake_B = self.netG(self.real_A)

    def backward_D(self):
        pred_fake = self.netD(self.fake_B.detach())
        pred_real = self.netD(self.real_B)
        self.loss_D = pred_fake.mean() - pred_real.mean()
        self.loss_D.backward()

    def backward_G(self):
        pred_fake = self.netD(self.fake_B)
        self.loss_G = -pred_fake.mean() + (self.fake_B - self.real_B).abs().mean()
        self.loss_G.backward()

    def optimize_parameters(self):
        self.forward()
        self.set_requires_grad(self.netD, True)
        self.optimizer_D.zero_grad()
        self.backward_D()
        self.optimizer_D.step()
        self.set_requires_grad(self.netD, False)
        self.optimizer_G.zero_grad()
        self.backward_G()
        self.optimizer_G.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    netG = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 4))
    netD = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
    model = Pix2PixModel(netG, netD)
    for _ in range(2):
        model.set_input(torch.randn(4, 4), torch.randn(4, 4))
        model.optimize_parameters()
    print("loss_D:", round(model.loss_D.item(), 4), "loss_G:", round(model.loss_G.item(), 4))
