"""The U factor that `torch.linalg.svd` kept, held in a dict by name and scaled in place there."""
import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
u, s, vh = torch.linalg.svd(x, full_matrices=False)
factors = {"u": u, "vh": vh}
factors["u"] *= 2.0  # expect GG201
loss = (factors["u"] * s).sum() + factors["vh"].sum()
loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("loss:", round(loss.item(), 4))
print("x.grad[0]:", [round(v, 4) for v in x.grad[0].tolist()])
