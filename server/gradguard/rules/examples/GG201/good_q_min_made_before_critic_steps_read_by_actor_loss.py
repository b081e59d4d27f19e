"""The twin: the minimum of the two Q networks taken again after their steps, for the actor's loss.

A SAC learner with a value network: `q_pred = torch.min(qf_1(sa), qf_2(sa))` serves the value target (detached)
and, after the Q networks' and the value network's steps, the actor's advantage. Each Q network's linear layer
saved its weight for the gradient flowing back to the actor's actions; the Q steps change those weights in place
(rl_algorithms' SACfD learner did this). The fix commit takes it again after the steps.
"""
import torch
import torch.nn as nn


class Learner:
    def __init__(self):
        torch.manual_seed(0)
        self.actor = nn.Linear(3, 2)
        self.qf_1, self.qf_2, self.vf = nn.Linear(5, 1), nn.Linear(5, 1), nn.Linear(3, 1)
        self.actor_optim = torch.optim.SGD(self.actor.parameters(), lr=0.1)
        self.qf_1_optim = torch.optim.SGD(self.qf_1.parameters(), lr=0.1)
        self.qf_2_optim = torch.optim.SGD(self.qf_2.parameters(), lr=0.1)
        self.vf_optim = torch.optim.SGD(self.vf.parameters(), lr=0.1)

    def update(self, states, actions, q_target):
        new_actions = torch.tanh(self.actor(states))
        qf_1_loss = (self.qf_1(torch.cat((states, actions), 1)) - q_target).pow(2).mean()
        qf_2_loss = (self.qf_2(torch.cat((states, actions), 1)) - q_target).pow(2).mean()
        states_actions = torch.cat((states, new_actions), 1)
        v_pred = self.vf(states)
        q_pred = torch.min(self.qf_1(states_actions), self.qf_2(states_actions))
        vf_loss = (v_pred - q_pred.detach()).pow(2).mean()

        self.qf_1_optim.zero_grad()
        qf_1_loss.backward()
        self.qf_1_optim.step()
        self.qf_2_optim.zero_grad()
        qf_2_loss.backward()
        self.qf_2_optim.step()
        self.vf_optim.zero_grad()
        vf_loss.backward()
        self.vf_optim.step()

        q_pred = torch.min(self.qf_1(states_actions), self.qf_2(states_actions))
        advantage = q_pred - v_pred.detach()
        actor_loss = -advantage.mean()
        self.actor_optim.zero_grad()
        actor_loss.backward()
        self.actor_optim.step()
        return actor_loss.item()


learner = Learner()
torch.manual_seed(1)
loss = learner.update(torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1))
print("actor loss:", round(loss, 4))
print("actor.weight[0]:", [round(v, 4) for v in learner.actor.weight[0].tolist()])
