"""U factors that `torch.linalg.svd` kept, held in a dict, scaled in place with `u_blocks[key] *= s`.

Each block's svd keeps U, S and Vh for backward. The U factors are stored in a dict under keys from a loop
and then scaled in place, block by block: every U is an output some svd saved, so backward() fails.
"""
import torch

torch.manual_seed(0)
x = torch.randn(2, 4, 3, requires_grad=True)
u_blocks, s_blocks = {}, {}
for key in range(2):
    u, s, vh = torch.linalg.svd(x[key], full_matrices=False)
    u_blocks[key] = u
    s_blocks[key] = s
for key in range(2):
    u_blocks[key] *= s_blocks[key].reshape(1, -1)  # expect GG201
loss = torch.stack([u_blocks[key] for key in range(2)]).pow(2).sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad[0, 0]:", [round(v, 4) for v in x.grad[0, 0].tolist()])
