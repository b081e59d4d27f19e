"""SAC-style update: the actor's update runs before the critics', whose steps change what it needs.

Each update zeroes its own gradients first: the actor's backward() also leaves gradients in the critics, which their
own `zero_grad()` clears before their losses' backward(). Every optimizer steps with its own loss's gradients.
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

policy_opt.zero_grad()
policy_loss.backward()
policy_opt.step()

qf1_opt.zero_grad()
qf1_loss.backward()
qf1_opt.step()

qf2_opt.zero_grad()
qf2_loss.backward()
qf2_opt.step()

for name, net in (("policy", policy), ("qf1", qf1), ("qf2", qf2)):
    print(name, [round(p.sum().item(), 5) for p in net.parameters()])
