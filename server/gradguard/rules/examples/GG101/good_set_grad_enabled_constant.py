"""`torch.set_grad_enabled(TRAIN_EMBEDDINGS)` with a module-level constant that is False."""
import torch

TRAIN_EMBEDDINGS = False

table = torch.tensor([[0.1, 0.2], [0.3, 0.4]], requires_grad=True)
with torch.set_grad_enabled(TRAIN_EMBEDDINGS):
    table[0] = torch.tensor([1.0, 1.0])
    table.mul_(2)
print("table:", [[round(v, 4) for v in row] for row in table.tolist()])
