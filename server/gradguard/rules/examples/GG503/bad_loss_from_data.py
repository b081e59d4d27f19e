"""A loss computed from `w.data`: `.data` has no autograd history."""
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
x = torch.tensor([3.0, 1.0])
loss = ((w.data * x).sum() - 1.0) ** 2
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("w.grad:", w.grad.tolist())
