"""`fill_` and `zero_` on an expanded tensor without grad run clean.

Writing one value to every element is well defined even when elements share memory, and torch allows
it (outside autograd). The write goes to the single underlying row.
"""
import torch

x = torch.tensor([[1.0, 2.0, 3.0]])
e = x.expand(4, 3)
e.fill_(5.0)
print("x after fill_:", x.tolist())
e.zero_()
print("x after zero_:", x.tolist())
