import torch
import manifoldlib


class Dist2Plane(torch.nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        sphere = manifoldlib.Sphere()
        tangent = torch.randn(out_features, in_features)
        with torch.no_grad():
            self.tangent = manifoldlib.ManifoldParameter(tangent, manifold=sphere).proj_()

    def forward(self, x):
        return x @ self.tangent.t()


torch.manual_seed(0)
layer = Dist2Plane(5, 3)
layer(torch.randn(2, 5)).sum().backward()
print(layer.tangent.grad.norm().item())
