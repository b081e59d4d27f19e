"""`torch.cat` of tensors read from a mapping filled where the walk does not look: they may need grad."""
import torch


class Trace:
    def __init__(self):
        self.nodes = {}

    def copy(self, sites):
        new = Trace()
        new.nodes.update(sites)
        return new


def moments(trace):
    value = trace.nodes["x"]["value"]
    return torch.cat([value.mean(0), value.std(0)])


torch.manual_seed(0)
loc = torch.randn(3, requires_grad=True)
trace = Trace().copy({"x": {"value": loc + torch.randn(100, 3)}})
for m in moments(trace):
    (grad,) = torch.autograd.grad(m, [loc], retain_graph=True)
print("grad:", grad.tolist())
