"""backward() on a loss whose forward pass ran in `torch.inference_mode()`."""
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
x = torch.tensor([[1.0, 0.0, -1.0]])
with torch.inference_mode():
    out = model(x)
loss = out.sum()
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("bias.grad:", model.bias.grad.tolist())
