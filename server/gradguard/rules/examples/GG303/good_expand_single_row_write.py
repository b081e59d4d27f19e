"""Writing one row of an expanded tensor runs clean: `e[0] += 1` and `e[0, 1] = 7`.

One row of `x.expand(4, 3)` has no repeated memory locations, so the in-place op is allowed. Every
row of `e` sees the change, because all rows are the same memory.
"""
import torch

x = torch.tensor([[1.0, 2.0, 3.0]])
e = x.expand(4, 3)
e[0] += 1
e[0, 1] = 7.0
print("e:", e.tolist())
