"""`result = torch.matmul(x, w)` in a loop over batches."""
import torch

w = torch.tensor([[1.0], [-1.0]], requires_grad=True)
batches = [torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 1.0]])]
result = torch.empty(1, 1)
total = 0.0
for x in batches:
    result = torch.matmul(x, w)
    loss = (result ** 2).sum()
    loss.backward()
    total += loss.item()
print("total:", total)
print("w.grad:", w.grad.tolist())
