"""TRPO's conjugate gradient calls the Fisher-vector product it is given: detached, no graph kept."""
import torch
import torch.nn as nn


def conjugate_gradients(Avp, b, nsteps):
    x = torch.zeros_like(b)
    r = b.clone()
    p = b.clone()
    rdotr = torch.dot(r, r)
    for i in range(nsteps):
        Ap = Avp(p)
        alpha = rdotr / torch.dot(p, Ap)
        x += alpha * p
        r -= alpha * Ap
        new_rdotr = torch.dot(r, r)
        p = r + new_rdotr / rdotr * p
        rdotr = new_rdotr
    return x


def natural_step(model, states, damping):
    params = list(model.parameters())
    loss = model(states).pow(2).mean()
    loss_grad = torch.cat([g.view(-1) for g in torch.autograd.grad(loss, params)]).data

    def fisher_vector_product(v):
        mean1 = model(states)
        kl = ((mean1.detach() - mean1).pow(2) / 2).sum(1).mean()
        grads = torch.autograd.grad(kl, params, create_graph=True)
        kl_v = (torch.cat([g.view(-1) for g in grads]) * v).sum()
        grads = torch.autograd.grad(kl_v, params)
        return torch.cat([g.contiguous().view(-1) for g in grads]).data + v * damping

    stepdir = conjugate_gradients(fisher_vector_product, -loss_grad, 5)
    shs = 0.5 * (stepdir * fisher_vector_product(stepdir)).sum()
    return stepdir / torch.sqrt(shs / 0.01)


def update(policy, value_net, states, returns):
    for _ in range(2):
        value_loss = (value_net(states).squeeze(1) - returns).pow(2).mean()
        value_net.zero_grad()
        value_loss.backward()
    return natural_step(policy, states, 0.1)


torch.manual_seed(0)
policy, value_net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2)), nn.Linear(3, 1)
for episode in range(2):
    step = update(policy, value_net, torch.randn(16, 3), torch.randn(16))
print("step norm:", round(step.norm().item(), 4))
