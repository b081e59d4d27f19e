"""`if use_batchnorm: layers.insert(1, norm)` on a flag the caller passes on, then `x += skip`.

The decoder passes its own `use_batchnorm=True` to each block: the block's layers are conv, norm, ReLU (conv, ReLU
without the norm, which ends the same way). The ReLU keeps its output; the skip sum changes it in place.
"""
import torch
import torch.nn as nn


class Conv2dReLU(nn.Module):
    def __init__(self, channels, use_batchnorm=True):
        super().__init__()
        layers = [nn.Conv2d(channels, channels, 1, bias=not use_batchnorm), nn.ReLU(inplace=True)]
        if use_batchnorm:
            layers.insert(1, nn.BatchNorm2d(channels))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return self.block(x)


class DecoderBlock(nn.Module):
    def __init__(self, channels, use_batchnorm=True):
        super().__init__()
        self.block = nn.Sequential(Conv2dReLU(channels, use_batchnorm=use_batchnorm),
                                   Conv2dReLU(channels, use_batchnorm=use_batchnorm))

    def forward(self, x, skip):
        x = self.block(x)
        x += skip  # expect GG201
        return x


torch.manual_seed(0)
block = DecoderBlock(4)
x = torch.randn(2, 4, 3, 3, requires_grad=True)
block(x, torch.randn(2, 4, 3, 3)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("x.grad:", [round(v, 4) for v in x.grad[0, 0, 0].tolist()])
