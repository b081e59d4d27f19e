"""A 3d conv block: InstanceNorm3d, then an in-place ReLU, then an in-place Dropout3d.

nn.InstanceNorm3d is a torch module like its 1d and 2d kin (instance_norm); the in-place ReLU on its output
keeps that output for ReluBackward, and `nn.Dropout3d(p, inplace=True)` rewrites it (synthtorch's 3d U-Net).
"""
import torch
import torch.nn as nn


class ConvBlock3d(nn.Module):
    def __init__(self, in_c=1, out_c=4, p=0.2):
        super().__init__()
        self.body = nn.Sequential(nn.Conv3d(in_c, out_c, 3, padding=1), nn.InstanceNorm3d(out_c, affine=True),
                                  nn.ReLU(inplace=True), nn.Dropout3d(p, inplace=True))  # expect GG201

    def forward(self, x):
        return self.body(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = ConvBlock3d()
    block(torch.randn(2, 1, 4, 4, 4)).sum().backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("grad norm:", round(block.body[0].weight.grad.norm().item(), 4))
