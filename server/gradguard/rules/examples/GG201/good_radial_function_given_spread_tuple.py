"""`self.radial_function(*angular, self.radii)`, the window normalised out of place: it works.

The twin of bad_radial_function_given_spread_tuple.py: `window = window / norm` makes a new tensor, and the one
`torch.exp` kept for backward is unchanged.
"""
import torch


def gaussian_radial_function(solutions, r_field, order_irreps, radii, sigma=.6):
    basis = []
    for r in radii:
        window = torch.exp(-.5 * ((r_field - r) / sigma) ** 2)
        window = window / (2.5066 * sigma)
        for sol, J in zip(solutions, order_irreps):
            basis.append(sol * window)
    return torch.stack(basis, dim=0)


def angular_function(difference_mat, orders):
    filters = [difference_mat.sum(-1) * (J + 1) for J in orders]
    return filters, difference_mat.norm(2, -1), orders


class PointKernel(torch.nn.Module):
    def __init__(self, radii, radial_function=gaussian_radial_function):
        super().__init__()
        self.radial_function = radial_function
        self.register_buffer("radii", radii)
        self.weight = torch.nn.Parameter(torch.randn(len(radii) * 2))

    def forward(self, difference_mat):
        angular = angular_function(difference_mat, [0, 1])
        basis = self.radial_function(*angular, self.radii)
        return torch.einsum("b,bnm->nm", self.weight, basis)


torch.manual_seed(0)
kernel = PointKernel(torch.tensor([0.5, 1.0]))
points = torch.randn(5, 3, requires_grad=True)
difference_mat = points[:, None] - points[None]
kernel(difference_mat).sum().backward()
print("points.grad:", points.grad.shape)
