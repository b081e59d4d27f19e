"""A view taken in `torch.inference_mode()`, changed in place after the block.

The inference-mode sibling of the no_grad case, with its own message.
"""
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
with torch.inference_mode():
    head = h[:2]
head.mul_(0.5)  # expect GG302; torch raises: A view was created in inference mode and is being modified inplace in normal mode
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
