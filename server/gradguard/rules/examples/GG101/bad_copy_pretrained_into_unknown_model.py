"""Loading pretrained vectors into a model built elsewhere: `model.emb.weight.copy_(vectors)`.

The model comes from a factory the analysis does not see into (here `torch.nn.utils.skip_init`).

The embedding's weight is a parameter, a leaf that requires grad: copying into it with grad mode on raises.
"""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, device=None):
        super().__init__()
        self.emb = nn.Embedding(10, 4, device=device)


torch.manual_seed(0)
model = torch.nn.utils.skip_init(Encoder)
vectors = torch.randn(10, 4)
model.emb.weight.copy_(vectors)  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
print("loaded:", bool(torch.equal(model.emb.weight, vectors)))
