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
