"""Networks held in a dict: both backward() calls first, then the two optimizers' steps.

The fix of the bad twin: `loss_d.backward()` goes through the encoder's and the decoder's saved weights before
`opt_g.step()` changes them.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Trainer:
    def __init__(self):
        self.models = {}
        self.models["encoder"] = nn.Linear(4, 8)
        self.models["decoder"] = nn.Linear(8, 3)
        self.models["discriminator"] = nn.Linear(3, 1)
        self.params_g, self.params_d = [], []
        for key in self.models.keys():
            if "discr" in key:
                self.params_d += list(self.models[key].parameters())
            else:
                self.params_g += list(self.models[key].parameters())
        self.opt_g = torch.optim.Adam(self.params_g, lr=1e-3)
        self.opt_d = torch.optim.Adam(self.params_d, lr=1e-3)

    def step(self, x, real):
        fake = self.models["decoder"](torch.tanh(self.models["encoder"](x)))
        fake_pred = self.models["discriminator"](fake)
        real_pred = self.models["discriminator"](real)
        ones, zeros = torch.ones_like(real_pred), torch.zeros_like(real_pred)
        loss_g = F.binary_cross_entropy_with_logits(fake_pred, ones) + F.mse_loss(fake, real)
        loss_d = F.binary_cross_entropy_with_logits(fake_pred, zeros) + \
            F.binary_cross_entropy_with_logits(real_pred, ones)
        self.opt_g.zero_grad()
        loss_g.backward(retain_graph=True)
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_g.step()
        self.opt_d.step()
        return loss_g.item(), loss_d.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    print("losses:", Trainer().step(torch.randn(5, 4), torch.randn(5, 3)))
