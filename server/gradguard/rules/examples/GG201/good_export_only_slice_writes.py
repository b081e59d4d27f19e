"""Row-by-row slice writes that run only while a model is traced: `if torch.jit.is_tracing():`.

Tracing records `out[:, :, i:i + 1] = ...` as it is (the out-of-place loop would be unrolled), and an exported
graph never runs backward(). On the training path `is_tracing()` is False: the out-of-place branch runs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RowScan(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, (1, 3), padding=(0, 1))

    def forward(self, x):
        out = x
        if torch.jit.is_tracing():
            for i in range(1, out.shape[2]):
                out[:, :, i:i + 1] = out[:, :, i:i + 1] + F.relu(self.conv(out[:, :, i - 1:i]))
        else:
            rows = [out[:, :, :1]]
            for i in range(1, out.shape[2]):
                rows.append(out[:, :, i:i + 1] + F.relu(self.conv(rows[-1])))
            out = torch.cat(rows, dim=2)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    image = torch.randn(1, 1, 3, 4, requires_grad=True)
    RowScan()(image * 1.0).sum().backward()
    print("grad sum:", round(image.grad.sum().item(), 4))
