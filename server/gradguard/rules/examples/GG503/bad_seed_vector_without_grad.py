"""Seed article: `y = x * 2; y.backward()` where `x` does not require grad.

The article expects "One of the differentiated Tensors does not require grad". torch 2.13 says
"element 0 of tensors does not require grad and does not have a grad_fn". `y` also has three
elements, but torch reports the missing grad first.
"""
import torch

torch.manual_seed(0)
x = torch.randn(3)
y = x * 2
y.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("x.grad:", x.grad.tolist())
