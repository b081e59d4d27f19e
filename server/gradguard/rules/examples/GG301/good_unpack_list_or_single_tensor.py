"""`base, offset = pieces(x)` where `pieces` returns a list (or, for one item, the tensor): no views."""
import torch


def pieces(data, n):
    out = [data[:, i + 1] - data[:, i] for i in range(n - 1)]
    if len(out) == 1:
        out = out[0]
    return out


def angles(data):
    base, offset = pieces(data, 3)
    base *= -1
    return (base * offset).sum(dim=1) / base.norm(dim=1) / offset.norm(dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    data = torch.randn(2, 3, 4, requires_grad=True)
    angles(data).sum().backward()
    print("grad:", data.grad.shape)
