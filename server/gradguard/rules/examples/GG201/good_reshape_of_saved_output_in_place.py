"""A reshaped softmax output is masked out of place: a new tensor, softmax's output untouched."""
import torch
import torch.nn as nn


class MaskedAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, dim)

    def forward(self, x, mask):
        attn = self.score(x).softmax(dim=-1)
        attn_flat = attn.reshape(-1)
        attn_flat = attn_flat * mask.reshape(-1)
        return attn_flat.reshape(attn.shape) @ x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MaskedAttention(4)
    model(torch.randn(4, 4), torch.ones(4, 4)).sum().backward()
    print("grad norm:", round(model.score.weight.grad.norm().item(), 4))
