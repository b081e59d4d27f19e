"""A recurrent state updated in a `while` loop with a backward() per step and no `.detach()`."""
import torch

W = torch.tensor([[0.5, -0.2], [0.1, 0.4]], requires_grad=True)
inputs = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), torch.tensor([1.0, 1.0])]
target = torch.tensor([0.5, -0.5])
h = torch.zeros(2)
step = 0
while step < len(inputs):
    h = torch.tanh(W @ h + inputs[step])
    loss = (h - target).pow(2).sum()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    step += 1
print("h:", [round(v, 4) for v in h.tolist()])
print("W.grad:", [[round(v, 4) for v in row] for row in W.grad.tolist()])
