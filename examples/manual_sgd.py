"""Linear regression with a hand-written SGD step.

The update changes the parameters in place while grad mode is on; parameters are leaves that
require grad, so torch refuses. (The update belongs under `torch.no_grad()`.)
"""
import torch

torch.manual_seed(0)
X = torch.randn(32, 3)
true_w = torch.tensor([[2.0], [-1.0], [0.5]])
y = X @ true_w + 0.1 * torch.randn(32, 1)

w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for epoch in range(20):
    pred = X @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    w -= lr * w.grad  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
    b -= lr * b.grad  # expect GG101
    w.grad.zero_()
    b.grad.zero_()
print("w:", w.detach().flatten().tolist())
