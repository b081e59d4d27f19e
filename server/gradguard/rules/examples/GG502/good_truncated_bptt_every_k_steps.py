"""Truncated BPTT: a backward() and a detach every k steps, the two conditions lined up."""
import torch
import torch.nn as nn


def train_sequence(rnn, head, seq, targets, optimizer, k):
    h = torch.zeros(1, rnn.hidden_size)
    for t in range(seq.size(0)):
        if t % k == 0:
            h = h.detach()
        h = rnn(seq[t:t + 1], h)
        loss = (head(h) - targets[t]).pow(2).mean()
        if (t + 1) % k == 0:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    rnn, head = nn.GRUCell(3, 5), nn.Linear(5, 1)
    opt = torch.optim.SGD(list(rnn.parameters()) + list(head.parameters()), lr=0.01)
    train_sequence(rnn, head, torch.randn(6, 3), torch.randn(6), opt, k=3)
    print("done")
