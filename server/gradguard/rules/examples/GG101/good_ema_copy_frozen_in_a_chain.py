"""An EMA copy built as `net.__class__(3, 2).eval().requires_grad_(False)` is updated in place.

The chained `requires_grad_(False)` freezes the copy's parameters, so the in-place update after each optimizer
step is allowed outside `torch.no_grad()`.
"""
import torch


def training_loop(steps=3):
    torch.manual_seed(0)
    net = torch.nn.Linear(3, 2)
    net.train().requires_grad_(True)
    ema = net.__class__(3, 2).eval().requires_grad_(False)
    ema.load_state_dict(net.state_dict())
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        loss = net(torch.randn(4, 3)).pow(2).mean()
        loss.backward()
        optimizer.step()
        for p_ema, p_net in zip(ema.parameters(), net.parameters()):
            p_ema.copy_(p_net.detach().lerp(p_ema, 0.9))
    return ema


if __name__ == "__main__":
    ema = training_loop()
    print("ema bias:", [round(v, 4) for v in ema.bias.tolist()])
