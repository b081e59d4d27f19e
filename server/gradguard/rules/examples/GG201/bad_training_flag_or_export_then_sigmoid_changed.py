"""`self.training |= self.export` (YOLO head) stays True: its training side changes a sigmoid output."""
import torch
import torch.nn as nn


class KeypointHead(nn.Module):
    export = False  # set for ONNX export

    def __init__(self, ch=8, no=9):
        super().__init__()
        self.no = no
        self.m = nn.Conv2d(ch, no, 1)

    def forward(self, x):
        self.training |= self.export
        bs, _, ny, nx = x.shape
        p = self.m(x).view(bs, self.no, ny, nx).permute(0, 2, 3, 1).contiguous()
        if self.training:
            kpt = p[..., 6:].sigmoid()
            kpt[..., 0::3] = kpt[..., 0::3] * 2.0 - 0.5  # expect GG201
            return kpt.view(bs, -1, 3)
        return p


if __name__ == "__main__":
    torch.manual_seed(0)
    head = KeypointHead()
    out = head(torch.randn(2, 8, 4, 4))
    out.sum().backward()  # torch raises: modified by an inplace operation
