"""The same sparse matrix made symmetric with `L = L + L.t()`: the constructor's result is left alone."""
import torch

torch.manual_seed(0)
weights = torch.rand(3, requires_grad=True)
indices = torch.tensor([[0, 1, 2], [1, 2, 0]])
L = torch.sparse_coo_tensor(indices, weights / 4.0, (3, 3), check_invariants=True)
L = L + L.t()
torch.sparse.sum(L).backward()
print("L:", [[round(v, 4) for v in row] for row in L.to_dense().tolist()])
print("weights.grad:", [round(v, 4) for v in weights.grad.tolist()])
