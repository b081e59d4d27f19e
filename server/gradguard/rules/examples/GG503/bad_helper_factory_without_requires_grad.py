"""The same `**kwargs` helper called without `requires_grad`: nothing in the loss requires grad.

The keywords the helper passes on are exactly those of its call, and there is no `requires_grad` among them.
"""
import torch


def zeros(*sizes, **kwargs):
    return torch.zeros(*sizes, **kwargs)


log_alpha = zeros(1)
loss = -(log_alpha * 2.0).mean()
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("log_alpha.grad:", log_alpha.grad)
