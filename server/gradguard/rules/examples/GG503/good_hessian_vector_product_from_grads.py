"""Hutchinson's Hessian estimate: `autograd.grad(grads, params, grad_outputs=zs)` of the `.grad`s.

The caller fills the `.grad` fields with `create_graph=True` (as `loss.backward(create_graph=True)` does), so
each `p.grad` has a grad_fn of its own, and differentiating the gradients again (a Hessian-vector product,
AdaHessian/Sophia style) works.
"""
import torch
import torch.nn as nn


def hutchinson_hessian(param_groups, state, num_samples=1):
    params = [p for group in param_groups for p in group["params"] if p.requires_grad and p.grad is not None]
    if len(params) == 0:
        return
    grads = [p.grad for p in params]
    for i in range(num_samples):
        zs = [torch.randint_like(p, 0, 2) * 2.0 - 1.0 for p in params]
        h_zs = torch.autograd.grad(grads, params, grad_outputs=zs, retain_graph=i < num_samples - 1)
        for h_z, z, p in zip(h_zs, zs, params):
            state.setdefault(p, torch.zeros_like(p)).add_(h_z * z, alpha=1.0 / num_samples)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = model(torch.randn(4, 3)).pow(2).sum()
    for p, g in zip(model.parameters(), torch.autograd.grad(loss, list(model.parameters()), create_graph=True)):
        p.grad = g
    state = {}
    hutchinson_hessian(optimizer.param_groups, state)
    print("hessian diagonal estimates:", [tuple(h.shape) for h in state.values()])
    for p in model.parameters():
        p.grad = None
