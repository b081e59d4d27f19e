"""The same scaling after each factor is put back as a copy (`factors[name] = factors[name].clone()`)."""
import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
u, s, vh = torch.linalg.svd(x, full_matrices=False)
factors = {"u": u, "vh": vh}
for name in ("u", "vh"):
    factors[name] = factors[name].clone()
factors["u"] *= 2.0
loss = (factors["u"] * s).sum() + factors["vh"].sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
