"""Clone the leaf before the loop, then scale each row of the clone in place."""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
leaf = x
x = x.clone()
for i in range(x.shape[0]):
    x[i] *= i + 1
loss = x.sum()
loss.backward()
print("x:", x.tolist())
print("leaf.grad:", leaf.grad.tolist())
