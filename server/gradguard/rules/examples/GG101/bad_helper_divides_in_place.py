"""A helper that normalizes its argument with `/=`, called on a leaf that requires grad.

The helper changes whatever it is given. gradguard reports the helper's line, where torch raises, with the
call that passes it the leaf as related information.
"""
import torch


def normalize(v, enabled):
    if enabled:
        v /= v.sum()  # expect GG101; torch raises: a leaf Variable that requires grad is being used in an in-place operation
    return v


probs = torch.tensor([1.0, 3.0], requires_grad=True)
p = normalize(probs, True)
loss = (p * torch.tensor([2.0, 1.0])).sum()
loss.backward()
print("p:", p.tolist())
print("probs.grad:", [round(v, 4) for v in probs.grad.tolist()])
