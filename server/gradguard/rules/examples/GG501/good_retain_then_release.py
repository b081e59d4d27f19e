"""Several backward() calls on one graph: all but the last keep it with `retain_graph=True`."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = torch.exp(x)
losses = [h.sum(), (h ** 2).sum(), h.prod()]
for i, loss in enumerate(losses):
    loss.backward(retain_graph=i < len(losses) - 1)
print("x.grad:", [round(v, 4) for v in x.grad.tolist()])
