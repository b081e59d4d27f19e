"""Pretrained vectors copied into an embedding only `--freeze-embed` freezes: the default run raises.

`--freeze-embed` is a `store_true` option, False unless the user passes it: the model's embedding weight stays a
parameter that requires grad, and copying into it outside `torch.no_grad()` raises.
"""
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
model.emb.weight.copy_(vectors)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
print("loaded:", bool(torch.equal(model.emb.weight, vectors)))
