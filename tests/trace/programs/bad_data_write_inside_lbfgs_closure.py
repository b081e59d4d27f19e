import torch

w = torch.nn.Parameter(torch.tensor([1.0, 2.0, 3.0]))
opt = torch.optim.LBFGS([w], lr=0.1, max_iter=2)


def closure():
    opt.zero_grad()
    probs = torch.sigmoid(w * 2)
    probs.data.clamp_(0.05, 0.95)  # expect GG401
    loss = probs.sum()
    loss.backward()
    return loss


opt.step(closure)
print(w.grad)
