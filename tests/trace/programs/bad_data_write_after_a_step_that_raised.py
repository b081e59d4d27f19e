import torch


class Broken(torch.optim.SGD):
    def step(self, closure=None):
        raise ValueError("no step today")


w = torch.nn.Parameter(torch.ones(3))
opt = Broken([w], lr=0.1)
try:
    opt.step()
except ValueError:
    print("the step raised; the program goes on")
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
probs = torch.sigmoid(x * w)
probs.data.clamp_(0.05, 0.95)  # expect GG401
probs.sum().backward()
