import torch

w = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
opt = torch.optim.SGD([w], lr=0.1)
for step in range(2):
    opt.zero_grad()
    probs = torch.sigmoid(w * 2)
    if step == 1:  # after a step that ran while no graph was alive (unwatched, at plain speed)
        probs.data.clamp_(0.05, 0.95)  # expect GG401
    probs.sum().backward()
    opt.step()
print(w.grad)
