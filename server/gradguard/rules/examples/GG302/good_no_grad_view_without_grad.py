"""A view taken under `torch.no_grad()` of a tensor that does not require grad, changed later."""
import torch

buf = torch.zeros(4)
with torch.no_grad():
    window = buf[1:3]
window += 5
window[0] = 7
print("buf:", buf.tolist())
