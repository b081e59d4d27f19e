"""A mask cast with `.float()` first, expanded after: the expand shares memory whatever the cast did.

`mask.float().unsqueeze(2).expand_as(gt_regr)` is an expand of the float mask, so `mask *= isnotnan` writes one
memory location many times and torch raises; cast after expanding (or `.clone()`) to get memory of its own.
"""
import torch


def reg_loss(regr, gt_regr, mask):
    mask = mask.float().unsqueeze(2).expand_as(gt_regr)
    isnotnan = (~torch.isnan(gt_regr)).float()
    mask *= isnotnan  # expect GG303; torch raises: more than one element of the written-to tensor
    return torch.abs(regr * mask - gt_regr * mask).sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    regr = torch.randn(2, 5, 3, requires_grad=True)
    loss = reg_loss(regr, torch.randn(2, 5, 3), torch.randint(0, 2, (2, 5)))
    loss.backward()
