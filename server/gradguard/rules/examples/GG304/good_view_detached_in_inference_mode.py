"""`v.detach_()` of a view inside `torch.inference_mode()`: nothing to cut, torch allows it."""
import torch

torch.manual_seed(0)
with torch.inference_mode():
    features = torch.randn(4, 6)
    rows = features.view(2, 12)
    rows.detach_()
print(rows.shape)
