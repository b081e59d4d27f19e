"""A KFAC-style helper takes each Linear's output gradient with a tensor hook from a forward hook.

The model still applies `F.relu(h, inplace=True)` to a hooked layer's output: without a full backward hook that
output is an ordinary tensor, the in-place ReLU is allowed, and the tensor hooks receive the output gradients.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def install_hooks(model, grads):
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            def save(mod, inputs, output, name=name):
                output.register_hook(lambda grad: grads.__setitem__(name, grad.detach()))
            module.register_forward_hook(save)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 6)
        self.fc2 = nn.Linear(6, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x), inplace=True))


if __name__ == "__main__":
    torch.manual_seed(0)
    net, grads = Net(), {}
    install_hooks(net, grads)
    net(torch.randn(5, 4)).pow(2).sum().backward()
    print({name: round(g.norm().item(), 4) for name, g in grads.items()})
