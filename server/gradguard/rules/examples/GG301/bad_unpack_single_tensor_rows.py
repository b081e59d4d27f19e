"""`base, offset = pieces(x)` where `pieces` always returns one tensor: unpacking unbinds it."""
import torch


def pieces(data, n):
    return data[:, 1:n] - data[:, : n - 1]


def angles(data):
    base, offset = pieces(data, 3).transpose(0, 1)
    base *= -1  # expect GG301; torch raises: is a view and is being modified inplace
    return (base * offset).sum(dim=1) / base.norm(dim=1) / offset.norm(dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    data = torch.randn(2, 3, 4, requires_grad=True)
    angles(data).sum().backward()
    print("grad:", data.grad.shape)
