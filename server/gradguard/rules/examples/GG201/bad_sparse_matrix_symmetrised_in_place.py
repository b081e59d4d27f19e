"""A sparse matrix made symmetric with `L += L.t()`: torch.sparse_coo_tensor keeps the matrix it built.

The constructor's backward (SparseCooTensorWithDimsAndTensorsBackward0) saves its result; adding the transpose in
place changes it and backward() fails. Pattern seen in mesh Laplacians built from cotangent weights.
"""
import torch

torch.manual_seed(0)
weights = torch.rand(3, requires_grad=True)
indices = torch.tensor([[0, 1, 2], [1, 2, 0]])
L = torch.sparse_coo_tensor(indices, weights / 4.0, (3, 3), check_invariants=True)
L += L.t()  # expect GG201
torch.sparse.sum(L).backward()  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
print("L:", [[round(v, 4) for v in row] for row in L.to_dense().tolist()])
print("weights.grad:", [round(v, 4) for v in weights.grad.tolist()])
