import torch

w = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
opt = torch.optim.Adam([w], lr=0.1, foreach=True)
loss_a = (w ** 2).sum()
loss_b = (w ** 3).sum()
loss_a.backward()
opt.step()  # expect GG201
loss_b.backward()
