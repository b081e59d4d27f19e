"""A running average of features carried across iterations, with a backward() in each one."""
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
xs = [torch.tensor([1.0, 2.0]), torch.tensor([0.5, 1.0]), torch.tensor([2.0, -1.0])]
state = torch.zeros(2)
for x in xs:
    state = 0.9 * state + 0.1 * torch.tanh(w * x)
    loss = state.sum()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    with torch.no_grad():
        w -= 0.1 * w.grad
        w.grad.zero_()
print("state:", [round(v, 4) for v in state.tolist()])
print("w:", [round(v, 4) for v in w.tolist()])
