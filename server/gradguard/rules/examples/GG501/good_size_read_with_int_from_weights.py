"""A grid size read with `int()` from a tensor that requires grad sizes every batch of the loop.

`int(...)` is a Python number: it carries no graph, so no iteration's backward() reaches the `max` it was
read from, and the loop trains.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
model = torch.nn.Conv2d(3, 4, 3, padding=1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
gs = max(int(model.weight.abs().max() * 100), 8)
for step in range(3):
    imgs = torch.randn(2, 3, 6, 6)
    ns = [gs, gs]
    imgs = F.interpolate(imgs, size=ns, mode="bilinear", align_corners=False)
    loss = model(imgs).pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
print("loss:", round(loss.item(), 4), "size:", gs)
