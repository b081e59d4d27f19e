import torch


class Sphere:
    def projx(self, x):
        return x / x.norm(dim=-1, keepdim=True)


class ManifoldParameter(torch.nn.Parameter):
    """A parameter that knows its manifold (as geoopt's): `proj_()` puts it back on the manifold in place."""

    def __new__(cls, data, manifold=None, requires_grad=True):
        instance = super().__new__(cls, data, requires_grad)
        instance.manifold = manifold
        return instance

    def proj_(self):
        return self.copy_(self.manifold.projx(self))
