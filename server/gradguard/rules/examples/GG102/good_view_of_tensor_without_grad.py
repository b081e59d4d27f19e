"""Slice assignments and in-place ops on views of a tensor that does not require grad."""
import torch

buf = torch.zeros(3, 4)
buf[1:, :] = torch.ones(2, 4)
buf[0, ::2] = 5.0
buf.view(-1)[-1] = 9.0
buf.t()[0].add_(1)
print("buf:", buf.tolist())
