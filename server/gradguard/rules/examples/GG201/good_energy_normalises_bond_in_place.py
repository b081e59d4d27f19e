"""An energy function normalises its bond vectors out of place: `norm()` keeps the vector it saw."""
import torch


def harmonic_angle_energy(coords, k, theta0):
    ab = coords[1] - coords[0]
    ab = ab / torch.norm(ab)
    cb = coords[1] - coords[2]
    cb = cb / torch.norm(cb)
    theta = torch.acos((ab * cb).sum())
    return 0.5 * k * (theta - theta0) ** 2


if __name__ == "__main__":
    coords = torch.tensor([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], requires_grad=True)
    energy = harmonic_angle_energy(coords, 100.0, 1.9)
    forces = -torch.autograd.grad(energy, coords)[0]
    print("forces:", forces)
