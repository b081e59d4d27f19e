"""WGAN-style weight clipping through `.data` after backward(), where it belongs."""
import torch
import torch.nn as nn

torch.manual_seed(0)
critic = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
score = critic(x).mean()
true_grads = torch.autograd.grad(score, list(critic.parameters()), retain_graph=True)
score.backward()
for p in critic.parameters():
    p.data.clamp_(-0.1, 0.1)
print("score:", round(score.item(), 4))
print("first bias grad:", [round(v, 4) for v in critic[0].bias.grad.tolist()])
assert torch.allclose(critic[0].weight.grad, true_grads[0])
