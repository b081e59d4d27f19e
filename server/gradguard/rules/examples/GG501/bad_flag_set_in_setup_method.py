"""A relativistic GAN's generator loss reuses the D step's output on the fakes, whose graph is freed

The discriminator's output on the fakes comes from the D step, whose backward() freed its graph.

Which loss runs is a flag a setup method sets: `False`, then `True` only for WGAN. For the other methods the flag may
be either, so both generator losses are checked, and this one fails.
"""
import torch
import torch.nn as nn


class GANModel:
    def __init__(self, gan_type):
        self.netG, self.netD = nn.Linear(2, 2), nn.Linear(2, 1)
        self.configure(gan_type)

    def configure(self, gan_type):
        self.wgan = False
        if gan_type == "wgan":
            self.wgan = True

    def backward_D(self, real):
        self.pred_fake = self.netD(self.fake.detach())
        loss_D = (self.netD(real) - self.pred_fake.mean()).mean()
        loss_D.backward()

    def backward_G(self):
        if self.wgan:
            loss_G = -self.netD(self.fake).mean()
        else:  # relativistic average: against the D step's output on the fakes
            loss_G = (self.pred_fake.mean() - self.netD(self.fake)).mean()
        loss_G.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time

    def optimize(self, noise, real):
        self.fake = self.netG(noise)
        self.backward_D(real)
        self.backward_G()


torch.manual_seed(0)
for gan_type in ("relativistic", "wgan"):
    GANModel(gan_type).optimize(torch.randn(4, 2), torch.randn(4, 2))
print("done")
