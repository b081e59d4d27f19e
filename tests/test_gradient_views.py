"""Which gradients of `torch.autograd.grad(loss, model.parameters())` are views (analysis/grad_views.py): an
nn.Linear's weight and bias that one `linear` of the graph used; `detach_()` of such a gradient is GG304. Each case
was run under torch 2.13 (the GG304 examples show the main ones)."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

HEAD = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
'''
TAIL = '''
for grad in grads:
    grad.detach_()
'''

CASES = {
    # torch raises "Can't detach views in-place" at the first view gradient
    "linear, no create_graph": ('''
lin = nn.Linear(4, 2)
loss = lin(torch.randn(3, 4)).pow(2).sum()
grads = torch.autograd.grad(loss, lin.parameters())''', True),
    "F.linear of the layer's own parameters": ('''
lin = nn.Linear(4, 2)
loss = nn.functional.linear(torch.randn(3, 4), lin.weight, lin.bias).pow(2).sum()
grads = torch.autograd.grad(loss, lin.parameters(), create_graph=True)''', True),
    "penalty on the weight only: the bias's gradient is still a view": ('''
lin = nn.Linear(4, 2)
loss = lin(torch.randn(3, 4)).pow(2).sum() + lin.weight.pow(2).sum()
grads = torch.autograd.grad(loss, lin.parameters())''', True),
    "list(model.parameters())": ('''
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
loss = net(torch.randn(3, 4)).pow(2).sum()
grads = torch.autograd.grad(loss, list(net.parameters()), create_graph=True)''', True),
    # torch runs clean: every gradient is a new tensor
    "the layer applied twice": ('''
lin = nn.Linear(4, 4)
loss = lin(lin(torch.randn(3, 4))).pow(2).sum()
grads = torch.autograd.grad(loss, lin.parameters())''', False),
    "penalties on both parameters": ('''
lin = nn.Linear(4, 2)
loss = lin(torch.randn(3, 4)).pow(2).sum() + lin.weight.pow(2).sum() + lin.bias.pow(2).sum()
grads = torch.autograd.grad(loss, lin.parameters())''', False),
    "one loss over three batches": ('''
lin = nn.Linear(4, 2)
loss = 0
for i in range(3):
    loss = loss + lin(torch.randn(3, 4)).pow(2).sum()
grads = torch.autograd.grad(loss, lin.parameters())''', False),
    "a convolution and a norm": ('''
net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))
loss = net(torch.randn(2, 3, 8, 8)).pow(2).sum()
grads = torch.autograd.grad(loss, net.parameters(), create_graph=True)''', False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_detach_of_gradients(name):
    body, raises = CASES[name]
    result = analyze(HEAD + body + TAIL, "grads.py", Config(strict=True))
    codes = [f.code for f in result.findings]
    assert codes == (["GG304"] if raises else []), codes


def test_cases_under_torch(tmp_path):
    """Each case does under torch what the table says."""
    import subprocess
    import sys
    for name, (body, raises) in CASES.items():
        path = tmp_path / "case.py"
        path.write_text(HEAD + body + TAIL)
        run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
        assert (run.returncode != 0) == raises, (name, run.stderr[-300:])
        if raises:
            assert "Can't detach views in-place" in run.stderr, name
