"""A character-level RNN trained with truncated backpropagation through time.

The hidden state is carried from one batch to the next without `.detach()`, so the second
`backward()` goes back into the first batch's graph, which the first `backward()` already freed.
"""
import torch
import torch.nn as nn


class CharRNN(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.cell = nn.Linear(2 * hidden, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, token, h):
        h = torch.tanh(self.cell(torch.cat([self.embed(token), h], dim=-1)))
        return self.out(h), h


torch.manual_seed(0)
model = CharRNN(vocab=10, hidden=16)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
text = torch.randint(0, 10, (5, 2))
h = torch.zeros(2, 16)
for step in range(4):
    logits, h = model(text[step], h)
    loss = nn.functional.cross_entropy(logits, text[step + 1])
    opt.zero_grad()
    loss.backward()  # expect GG502; torch raises: Trying to backward through the graph a second time
    opt.step()
    print("step", step, "loss", round(loss.item(), 4))
