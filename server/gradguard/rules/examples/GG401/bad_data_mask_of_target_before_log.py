"""A KL helper masks zeros of its target through `.data` around `log`, given a target with grad.

`kl_div(log_x, y)` sets the zeros of `y` to 1 for the log and back to 0 after it. Here the target is a softmax of
a learnable tensor (a distillation teacher being trained), so `log` keeps `y` for backward: the second write puts
the zeros back under it, and backward() divides by them, with no error.
"""
import torch
import torch.nn.functional as F


def kl_div(log_x, y):
    y_is_0 = torch.eq(y.data, 0)
    y.data.masked_fill_(y_is_0, 1)
    log_y = torch.log(y)
    y.data.masked_fill_(y_is_0, 0)
    res = y * (log_y - log_x)
    return torch.sum(res, dim=1, keepdim=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    scores = torch.randn(2, 4, requires_grad=True)
    teacher = torch.tensor([[0.0, 2.0, 1.0, -30.0], [1.0, 0.0, -200.0, 0.0]], requires_grad=True)
    target = torch.softmax(teacher, dim=1)
    loss = kl_div(F.log_softmax(scores, dim=1), target).sum()  # expect GG401
    loss.backward()
    print("teacher.grad:", [[round(v, 4) for v in row] for row in teacher.grad.tolist()])
    assert not torch.isfinite(teacher.grad).all()  # silently wrong: a 0/0 from the log's saved zeros
