"""`if not isinstance(groups[0], dict): groups = [{"params": groups}]`: the loop then writes dict keys.

An optimizer wrapper accepts either parameter tensors or param-group dicts. Given a list of tensors, the test is
false for the tensor, so the list is wrapped in a group, and `group[key] = value` writes into that dict, never
into a parameter.
"""
import torch


class Optimizer:
    def set_param_groups(self, params, **options):
        groups = list(params)
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            for key, value in options.items():
                group[key] = value
        self.groups = groups

    def step(self):
        with torch.no_grad():
            for group in self.groups:
                for p in group["params"]:
                    p -= group["lr"] * p.grad


if __name__ == "__main__":
    param = torch.tensor([0.0], requires_grad=True)
    opt = Optimizer()
    opt.set_param_groups([param], lr=1.0)
    (param * 3 + 1).sum().backward()
    opt.step()
    print("param:", param.item())
