"""Adding a broadcast bias out of place inside a `for` loop."""
import torch

bias = torch.tensor([0.1, 0.2])
batches = [torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[5.0, 6.0], [7.0, 8.0]])]
for batch in batches:
    b = bias.expand_as(batch)
    b = b.add(batch)
    print("shifted:", [[round(v, 4) for v in row] for row in b.tolist()])
