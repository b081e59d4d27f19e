"""A running average of detached values across iterations; each backward() sees only its own graph."""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
xs = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), torch.tensor([1.0, 1.0])]
avg = torch.zeros(())
for x in xs:
    loss = (w * x).pow(2).sum()
    loss.backward()
    avg = 0.5 * avg + 0.5 * loss.detach()
print("avg loss:", round(avg.item(), 4))
print("w.grad:", w.grad.tolist())
