"""A view taken after `torch.set_grad_enabled(False)`, changed after grad mode is switched back on."""
import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = x + 1
torch.set_grad_enabled(False)
flat = h.view(-1)
torch.set_grad_enabled(True)
flat += 1  # expect GG302; torch raises: A view was created in no_grad mode and is being modified inplace with grad mode enabled
h.sum().backward()
print("h:", h.tolist())
print("x.grad:", x.grad.tolist())
