"""SAC-style update: both critics step before the actor's backward(), which goes through them.

The actor's loss is `alpha * log_pi - min(q1(s, a~), q2(s, a~))`: each critic's linear layer saved its weight for the
gradient flowing back to the actor's action. `qf1_opt.step()` changes that weight in place before
`policy_loss.backward()`. Each update zeroes its own gradients first, so the actor's update can run before the
critics' (the fix): every optimizer then steps with the gradients of its own loss, at the values the forward pass saw.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
policy = nn.Linear(3, 2)
qf1 = nn.Linear(5, 1)
qf2 = nn.Linear(5, 1)
policy_opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
qf1_opt = torch.optim.Adam(qf1.parameters(), lr=1e-2)
qf2_opt = torch.optim.Adam(qf2.parameters(), lr=1e-2)
obs, actions, target = torch.randn(8, 3), torch.randn(8, 2), torch.randn(8, 1)

new_actions = torch.tanh(policy(obs))
sa_new = torch.cat([obs, new_actions], 1)
policy_loss = (0.1 * new_actions.pow(2).sum(1, keepdim=True) - torch.min(qf1(sa_new), qf2(sa_new))).mean()
sa = torch.cat([obs, actions], 1)
qf1_loss = (qf1(sa) - target).pow(2).mean()
qf2_loss = (qf2(sa) - target).pow(2).mean()

qf1_opt.zero_grad()
qf1_loss.backward()
qf1_opt.step()  # expect GG201

qf2_opt.zero_grad()
qf2_loss.backward()
qf2_opt.step()  # expect GG201

policy_opt.zero_grad()
policy_loss.backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
policy_opt.step()

for name, net in (("policy", policy), ("qf1", qf1), ("qf2", qf2)):
    print(name, [round(p.sum().item(), 5) for p in net.parameters()])
