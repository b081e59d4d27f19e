"""Fill a tensor in place first, then mark it with `requires_grad_()`.

While it is being filled the tensor does not require grad; it becomes a leaf that requires grad only
afterwards.
"""
import torch

w = torch.zeros(2, 3)
w[0] = torch.tensor([1.0, 2.0, 3.0])
w[1].fill_(0.5)
w += 0.1
w.requires_grad_()
loss = (w ** 2).sum()
loss.backward()
print("loss:", round(loss.item(), 4))
print("w.grad:", [[round(v, 4) for v in row] for row in w.grad.tolist()])
