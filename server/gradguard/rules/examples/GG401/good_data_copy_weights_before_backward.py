"""Loading new head weights with `.data.copy_()` after backward()."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))
new_head = torch.tensor([[1.0, -1.0]])
x = torch.tensor([[1.0, 2.0], [-1.0, 0.5]])
out = model(x).sum()
true_grad = torch.autograd.grad(out, model[0].weight, retain_graph=True)[0]
out.backward()
model[2].weight.data.copy_(new_head)
print("out:", round(out.item(), 4))
print("first weight grad:", [[round(v, 4) for v in row] for row in model[0].weight.grad.tolist()])
assert torch.allclose(model[0].weight.grad, true_grad)
