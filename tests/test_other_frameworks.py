"""A file that imports another autograd framework (MXNet, TensorFlow, JAX...) and not torch is that framework's
code: an MXNet Gluon script's `with ag.record(): ...` then `loss.backward()` for each loss is no torch graph freed
twice. A file that imports torch too is still checked."""

from __future__ import annotations

from gradguard.analysis.checker import check_source
from gradguard.config import Config

GLUON = """\
import mxnet as mx
from mxnet import autograd as ag


def train(net, data_list, labels_list, loss_func, discrim_net, discrim_loss_func):
    for i in range(3):
        with ag.record():
            outputs_list = [net(x) for x in data_list]
            loss_list = [loss_func(yhat, y) for yhat, y in zip(outputs_list, labels_list)]
            d_pred_list = [discrim_net(yhat.softmax()) for yhat in outputs_list]
            d_loss_list = [discrim_loss_func(yhat, y) for yhat, y in zip(d_pred_list, labels_list)]
            loss_list = [z + dz for z, dz in zip(loss_list, d_loss_list)]
        for loss in loss_list:
            loss.backward()
"""

TORCH_TOO = """\
import mxnet as mx
import torch

x = torch.ones(3, requires_grad=True)
x.add_(1)
"""


def codes(source: str) -> list[str]:
    return [f.code for f in check_source(source, "t.py", Config()).findings]


def test_gluon_script_is_not_checked_as_torch():
    assert codes(GLUON) == []


def test_a_file_importing_torch_is_checked():
    assert "GG101" in codes(TORCH_TOO)


KERNEL = """\
import torch
import triton
import triton.language as tl


@triton.jit
def _logprobs_kernel(logits_ptr, out_ptr, num_labels: int, BLOCK: tl.constexpr):
    row = tl.program_id(axis=0).to(tl.int64)
    logits_ptr += row * num_labels
    offsets = tl.arange(0, BLOCK)
    logits = tl.load(logits_ptr + offsets, mask=offsets < num_labels, other=-float("inf"))
    tl.store(out_ptr + row, tl.max(logits, axis=0))


def logprobs(logits):
    out = torch.empty(logits.shape[0], device=logits.device)
    _logprobs_kernel[(logits.shape[0],)](logits, out, logits.shape[1], BLOCK=triton.next_power_of_2(logits.shape[1]))
    return out
"""


def test_a_triton_kernel_is_not_checked_as_torch_code() -> None:
    """NeMo's rnnt_logprobs_triton.py: `logits_ptr += offset` in a `@triton.jit` kernel is pointer arithmetic on
    what Triton passes, not an in-place change of the caller's tensor. Undecorated, the same function is walked as a
    helper that changes its caller's tensor."""
    assert codes(KERNEL) == []
    assert "GG202" in codes(KERNEL.replace("@triton.jit\n", ""))
    for decorator in ("@triton.autotune(configs=[], key=[])\n@triton.jit", "@numba.cuda.jit", "@njit"):
        assert codes(KERNEL.replace("@triton.jit", decorator)) == []
