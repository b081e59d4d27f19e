"""`F.nll_loss(..., reduction="none")` on one unbatched sample (shape (C,)): the loss is one number."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Linear(2, 3)
x = torch.tensor([1.0, 2.0])
target = torch.tensor(1)
loss = F.nll_loss(F.log_softmax(model(x), dim=0), target, reduction="none")
loss.backward()
print("weight.grad:", [round(v, 4) for v in model.weight.grad.flatten().tolist()])
