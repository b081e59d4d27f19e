"""The dropout three helper calls deep built out of place: the ReLU's output it reads is left as is.

synthtorch's fix: `nn.Dropout2d(p)` makes a new tensor instead of rewriting the one ReluBackward keeps.
"""
import torch
import torch.nn as nn


class Unet(nn.Module):
    def __init__(self, dropout_p=0.2):
        super().__init__()
        self.dropout_p = dropout_p
        self.start = self._double_block(1, 4, 4)

    def forward(self, x):
        return self.start(x)

    def _dropout(self):
        return nn.Dropout2d(self.dropout_p)

    def _conv_block(self, in_c, out_c):
        return nn.Sequential(nn.Conv2d(in_c, out_c, 3, padding=1), nn.BatchNorm2d(out_c),
                             nn.ReLU(inplace=True), self._dropout())

    def _double_block(self, in_c, mid_c, out_c):
        return nn.Sequential(self._conv_block(in_c, mid_c), self._conv_block(mid_c, out_c))


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Unet()
    net(torch.randn(2, 1, 8, 8)).sum().backward()
    print("grad norm:", round(net.start[0][0].weight.grad.norm().item(), 4))
