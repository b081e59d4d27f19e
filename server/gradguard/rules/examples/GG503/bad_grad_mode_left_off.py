"""A script that switched grad mode off with `torch.set_grad_enabled(False)` and then trains."""
import torch

torch.set_grad_enabled(False)
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (w ** 2).sum()
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("w.grad:", w.grad.tolist())
