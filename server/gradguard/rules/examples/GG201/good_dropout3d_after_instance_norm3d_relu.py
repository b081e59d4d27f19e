"""The twin of bad_dropout3d_in_place_after_instance_norm3d_relu.py: the Dropout3d out of place.

The in-place ReLU on the InstanceNorm3d output is fine (instance_norm does not keep its output), and
`nn.Dropout3d(p)` makes a new tensor, so ReluBackward's output is never changed.
"""
import torch
import torch.nn as nn


class ConvBlock3d(nn.Module):
    def __init__(self, in_c=1, out_c=4, p=0.2):
        super().__init__()
        self.body = nn.Sequential(nn.Conv3d(in_c, out_c, 3, padding=1), nn.InstanceNorm3d(out_c, affine=True),
                                  nn.ReLU(inplace=True), nn.Dropout3d(p))

    def forward(self, x):
        return self.body(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = ConvBlock3d()
    block(torch.randn(2, 1, 4, 4, 4)).sum().backward()
    print("grad norm:", round(block.body[0].weight.grad.norm().item(), 4))
