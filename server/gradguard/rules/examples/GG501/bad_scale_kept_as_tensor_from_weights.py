"""A scale kept as a tensor from `model.weight.abs().max()` multiplies every batch's loss.

The scale is part of one graph, built once before the loop; the first backward() frees it, so the second
iteration's backward() cannot go through it again.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
model = torch.nn.Conv2d(3, 4, 3, padding=1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scale = model.weight.abs().max()
gs = 8
for step in range(3):
    imgs = torch.randn(2, 3, 6, 6)
    ns = [gs, gs]
    imgs = F.interpolate(imgs, size=ns, mode="bilinear", align_corners=False)
    loss = model(imgs).pow(2).mean() * scale
    loss.backward()  # expect GG501; torch raises: Trying to backward through the graph a second time
    optimizer.step()
    optimizer.zero_grad()
print("loss:", round(loss.item(), 4), "size:", gs)
