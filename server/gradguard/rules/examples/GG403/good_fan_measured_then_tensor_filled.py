"""A Kaiming initialiser that measures the tensor's fan, then fills it: measuring changes nothing.

PEFT's VeRA `_kaiming_init`: `fan = _calculate_correct_fan(tensor, "fan_in")` returns a number read off the sizes
(torch.nn.init's `calculate_gain` and `_calculate_fan_in_and_fan_out` too); only the functions whose names end in
`_` fill their argument in place. `tensor` read afterwards holds what it held.
"""
import torch
from torch.nn.init import _calculate_correct_fan


def kaiming_init(tensor, generator):
    fan = _calculate_correct_fan(tensor, "fan_in")
    bound = (3.0 * 2 / fan) ** 0.5
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


torch.manual_seed(0)
weight = kaiming_init(torch.empty(3, 4), torch.Generator().manual_seed(0))
print("weight:", [round(v, 4) for v in weight[0].tolist()])
