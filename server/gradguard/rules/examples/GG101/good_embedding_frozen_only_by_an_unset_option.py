"""The vectors copied under `torch.no_grad()`: allowed whether or not `--freeze-embed` froze them."""
import argparse

import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, dim, freeze):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        if freeze:
            self.emb.weight.requires_grad = False


parser = argparse.ArgumentParser()
parser.add_argument("--freeze-embed", action="store_true", help="keep the pretrained vectors fixed")
args = parser.parse_args()
torch.manual_seed(0)
model = Encoder(10, 4, args.freeze_embed)
vectors = torch.randn(10, 4)
with torch.no_grad():
    model.emb.weight.copy_(vectors)
print("loaded:", bool(torch.equal(model.emb.weight, vectors)))
