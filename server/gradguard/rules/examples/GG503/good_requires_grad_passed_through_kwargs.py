"""A helper that passes `**kwargs` on to `torch.zeros`, called with `requires_grad=True`.

The helper's keyword arguments reach the factory, so the tensor requires grad and backward() works (a pattern of
RL code: `ptu.zeros(1, requires_grad=True)` for a learned temperature).
"""
import torch


def zeros(*sizes, **kwargs):
    return torch.zeros(*sizes, **kwargs)


log_alpha = zeros(1, requires_grad=True)
loss = -(log_alpha * 2.0).mean()
loss.backward()
print("log_alpha.grad:", log_alpha.grad.tolist())
