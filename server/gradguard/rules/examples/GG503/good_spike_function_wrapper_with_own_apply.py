"""A wrapper class whose own `apply` method calls a custom autograd Function: the output requires grad.

Spiking-network libraries wrap a surrogate-gradient `autograd.Function` in a small configuration class
(`MaxSpike(max_spikes)`, a dataclass in sinabs) whose method is also named `apply`. Calling it runs the class's own method, which
calls `MaxSpikeInner.apply(...)`: the Function's output requires grad because its input does (its forward's
ops, run with grad mode off, do not decide that), and the loss's backward() runs.
"""
import torch


class MaxSpikeInner(torch.autograd.Function):
    @staticmethod
    def forward(ctx, v_mem, max_spikes, threshold):
        ctx.save_for_backward(v_mem)
        ctx.threshold = threshold
        spikes = (v_mem > 0) * torch.div(v_mem, threshold, rounding_mode="trunc")
        if max_spikes is not None:
            spikes = torch.clamp(spikes, max=max_spikes)
        return spikes

    @staticmethod
    def backward(ctx, grad_output):
        (v_mem,) = ctx.saved_tensors
        surrogate = torch.exp(-((v_mem - ctx.threshold) ** 2))
        return grad_output * surrogate, None, None


class MaxSpike:
    def __init__(self, max_spikes=None):
        self.max_spikes = max_spikes

    def apply(self, v_mem, threshold):
        return MaxSpikeInner.apply(v_mem, self.max_spikes, threshold)


if __name__ == "__main__":
    spike_fn = MaxSpike(4)
    v_mem = torch.tensor([1.4, 0.8], requires_grad=True)
    spikes = spike_fn.apply(v_mem, 1.0)
    loss = torch.nn.functional.mse_loss(spikes, torch.ones_like(spikes))
    loss.backward()
    print("v_mem.grad:", [round(v, 6) for v in v_mem.grad.tolist()])
