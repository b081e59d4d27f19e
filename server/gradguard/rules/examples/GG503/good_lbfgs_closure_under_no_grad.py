"""An LBFGS closure stepped under no_grad (a Function's forward): the step turns grad mode on for it."""
import torch


class Square:
    @staticmethod
    def phi(z):
        return torch.pow(z, 2.0)


class Pool(torch.autograd.Function):
    @staticmethod
    def _optimize(x, y, penalty):
        x = x.detach()
        y = y.clone()
        y.requires_grad = True
        opt = torch.optim.LBFGS([y], lr=1.0, max_iter=20)

        def closure():
            opt.zero_grad()
            z = torch.linalg.norm((y.view(2, 1) - x.view(2, -1)), dim=1)
            f = penalty.phi(z).sum()
            f.backward()
            return f

        opt.step(closure)
        return y

    @staticmethod
    def forward(ctx, x, penalty):
        with torch.no_grad():
            y = Pool._optimize(x, x.mean(dim=1), penalty)
        return y

    @staticmethod
    def backward(ctx, grad):
        return grad.view(-1, 1).expand(-1, 5) / 5, None


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 5, requires_grad=True)
    Pool.apply(x, Square).sum().backward()
    print("grad:", x.grad.shape)
