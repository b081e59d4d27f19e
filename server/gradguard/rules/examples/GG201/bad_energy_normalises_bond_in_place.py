"""An energy function normalises a bond vector in place, after `norm()` saved it for backward.

Energies are what gets differentiated (forces, Langevin steps): the coordinates require grad there, so a function
named for an energy is on the training path even when no caller in the file shows it.
"""
import torch


def harmonic_angle_energy(coords, k, theta0):
    ab = coords[1] - coords[0]
    ab /= torch.norm(ab)  # expect GG201
    cb = coords[1] - coords[2]
    cb = cb / torch.norm(cb)
    theta = torch.acos((ab * cb).sum())
    return 0.5 * k * (theta - theta0) ** 2


if __name__ == "__main__":
    coords = torch.tensor([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], requires_grad=True)
    energy = harmonic_angle_energy(coords, 100.0, 1.9)
    forces = -torch.autograd.grad(energy, coords)[0]  # torch raises: one of the variables needed for gradient computation has been modified by an inplace operation
    print("forces:", forces)
