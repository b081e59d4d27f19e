import torch

z = torch.tensor([-4.0, 0.0, 4.0], requires_grad=True)
probs = torch.sigmoid(z)
probs.data.clamp_(0.05, 0.95)  # expect GG401
loss = -torch.log(probs).sum()
loss.backward()
print(z.grad)
