"""Setting `requires_grad` only where the tensor does not require grad: that tensor is always a leaf.

fairchem's `get_displacement_and_cell`: with stress, `pos` is replaced by an op of it (it gets a grad_fn); without
stress, `if ... and data["pos"].requires_grad is False: data["pos"].requires_grad = True`. A tensor with a grad_fn
always requires grad, so the second test keeps the computed one out: torch never sets the flag of a non-leaf here.
"""
import torch

torch.manual_seed(0)


def displace(data, regress_stress, regress_forces):
    displacement = None
    if regress_stress:
        displacement = torch.zeros(3, 3, requires_grad=True)
        if data["pos"].requires_grad is False:
            data["pos"].requires_grad = True
        data["pos"] = data["pos"] + data["pos"] @ displacement
    if not regress_stress and regress_forces and data["pos"].requires_grad is False:
        data["pos"].requires_grad = True
    return displacement


for stress, forces in ((True, True), (False, True)):
    data = {"pos": torch.randn(4, 3)}
    displacement = displace(data, stress, forces)
    energy = (data["pos"] ** 2).sum()
    energy.backward()
    print(stress, displacement.grad if displacement is not None else None)
