"""Back-propagation through the whole sequence: the state is carried on purpose, backward() runs once."""
import torch

W = torch.tensor([[0.5, -0.2], [0.1, 0.4]], requires_grad=True)
inputs = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), torch.tensor([1.0, 1.0])]
h = torch.zeros(2)
total = 0.0
for x in inputs:
    h = torch.tanh(W @ h + x)
    total = total + h.sum()
total.backward()
print("total:", round(total.item(), 4))
print("W.grad:", [[round(v, 4) for v in row] for row in W.grad.tolist()])
