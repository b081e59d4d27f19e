"""backward() on a loss built only from tensors that do not require grad."""
import torch

w = torch.tensor([0.5, -0.5])
x = torch.tensor([1.0, 2.0])
loss = ((w * x).sum() - 1.0) ** 2
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("w.grad:", w.grad.tolist())
