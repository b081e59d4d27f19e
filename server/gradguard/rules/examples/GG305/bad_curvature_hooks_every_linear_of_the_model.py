"""A KFAC-style helper hooks every Linear of the model it is handed with a full backward hook.

It records each layer's output gradient for a curvature estimate. The model applies `F.relu(h, inplace=True)` to a
hooked layer's output in its forward: with the hook, that output is a view made by a custom autograd Function, and
torch raises at the in-place ReLU. The twin registers a tensor hook on each output from a forward hook.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def install_hooks(model, grads):
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            def save(mod, grad_input, grad_output, name=name):
                grads[name] = grad_output[0].detach()
            module.register_full_backward_hook(save)  # expect GG305


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 6)
        self.fc2 = nn.Linear(6, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x), inplace=True))  # torch raises: Output 0 of BackwardHookFunction is a view


if __name__ == "__main__":
    torch.manual_seed(0)
    net, grads = Net(), {}
    install_hooks(net, grads)
    net(torch.randn(5, 4)).pow(2).sum().backward()
    print({name: round(g.norm().item(), 4) for name, g in grads.items()})
