"""The same absorption with `u_blocks[key] = u_blocks[key] * s`: each svd's saved U is left alone."""
import torch

torch.manual_seed(0)
x = torch.randn(2, 4, 3, requires_grad=True)
u_blocks, s_blocks = {}, {}
for key in range(2):
    u, s, vh = torch.linalg.svd(x[key], full_matrices=False)
    u_blocks[key] = u
    s_blocks[key] = s
for key in range(2):
    u_blocks[key] = u_blocks[key] * s_blocks[key].reshape(1, -1)
loss = torch.stack([u_blocks[key] for key in range(2)]).pow(2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad[0, 0]:", [round(v, 4) for v in x.grad[0, 0].tolist()])
