"""`e += 1` where `e = bias.expand(4, 3)`.

`expand` repeats the row without copying: all four rows are the same memory. Adding in place would
add to that memory four times, so torch refuses.
"""
import torch

bias = torch.tensor([[1.0, 2.0, 3.0]])
e = bias.expand(4, 3)
e += 1  # expect GG303; torch raises: unsupported operation: more than one element of the written-to tensor refers to a single memory location
print("e:", e.tolist())
