"""A relativistic GAN's generator loss compares with the D step's output on the fakes, detached

Only the new `netD(self.fake)` is backpropagated through, so the freed D-step graph is never reached."""
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
            loss_G = (self.pred_fake.detach().mean() - self.netD(self.fake)).mean()
        loss_G.backward()

    def optimize(self, noise, real):
        self.fake = self.netG(noise)
        self.backward_D(real)
        self.backward_G()


torch.manual_seed(0)
for gan_type in ("relativistic", "wgan"):
    GANModel(gan_type).optimize(torch.randn(4, 2), torch.randn(4, 2))
print("done")
