"""REINFORCE one step at a time: each stored probability has its own graph, one backward() per step."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        self.data = []

    def forward(self, x):
        return F.softmax(self.fc(x), dim=0)

    def put_data(self, item):
        self.data.append(item)

    def train_net(self, optimizer, gamma=0.98):
        ret = 0.0
        optimizer.zero_grad()
        for r, prob in self.data[::-1]:
            ret = r + gamma * ret
            loss = -torch.log(prob) * ret
            loss.backward()
        optimizer.step()
        self.data = []


if __name__ == "__main__":
    torch.manual_seed(0)
    pi = Policy()
    opt = torch.optim.Adam(pi.parameters(), lr=1e-3)
    for step in range(3):
        prob = pi(torch.randn(4))
        pi.put_data((1.0, prob[step % 2]))
    pi.train_net(opt)
    print("weight sum:", round(pi.fc.weight.sum().item(), 4))
