"""`loss = torch.tensor(loss.item())` before backward(): the number is kept, the graph is not."""
import torch

w = torch.tensor([0.5, 1.5], requires_grad=True)
x = torch.tensor([2.0, -1.0])
loss = ((w * x).sum() - 1.0) ** 2
loss = torch.tensor(loss.item())
loss.backward()  # expect GG503; torch raises: element 0 of tensors does not require grad and does not have a grad_fn
print("loss:", loss.item())
print("w.grad:", w.grad.tolist())
