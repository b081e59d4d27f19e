"""NNI's `LayerChoice` as gradguard knows it without reading nni (facts.NNI_LAYER_*, read from nni's source): it
runs ONE of its candidates, the one the search strategy picks, so `out = self.op(x); out += skip` changes the output
ReluBackward saved when the choice picks a branch ending in nn.ReLU (nni's ENAS macro search space,
examples/nas/oneshot/enas/macro.py). What holds for some candidates is a warning that names the candidate. torch is
run on each program once per candidate with a small `nni` package in tmp_path whose LayerChoice runs the candidate
NNI_CHOICE names, as a sampled architecture does; gradguard is given the program text alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gradguard.config import Config
from gradguard.engine import analyze

# nni's LayerChoice (nni/nas/pytorch/mutables.py; the same in nni.retiarii.nn.pytorch and nni.nas.nn.pytorch) with
# its candidates registered by name (3.x names `key` `label`), running the one the architecture picked
FAKE_MUTABLES = """\
import os
from collections import OrderedDict

import torch.nn as nn


class LayerChoice(nn.Module):
    def __init__(self, op_candidates, reduction="sum", return_mask=False, key=None, label=None):
        super().__init__()
        self.names = []
        if isinstance(op_candidates, (dict, OrderedDict)):
            for name, module in op_candidates.items():
                self.add_module(name, module)
                self.names.append(name)
        else:
            for i, module in enumerate(op_candidates):
                self.add_module(str(i), module)
                self.names.append(str(i))

    def forward(self, x):
        return self._modules[self.names[int(os.environ["NNI_CHOICE"])]](x)
"""
FAKE_NN = "from torch.nn import *\nfrom nni.nas.pytorch.mutables import LayerChoice\n"

PROGRAM = """\
import torch
import torch.nn
{import_line}
from collections import OrderedDict


class ConvBranch(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = torch.nn.Conv2d(c, c, 3, padding=1)
        self.post = torch.nn.Sequential(torch.nn.BatchNorm2d(c), torch.nn.ReLU())

    def forward(self, x):
        return self.post(self.conv(x))


class PoolBranch(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.pool = torch.nn.AvgPool2d(3, 1, 1)
        self.bn = torch.nn.BatchNorm2d(c)

    def forward(self, x):
        return self.bn(self.pool(x))


class Layer(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.pre = torch.nn.Conv2d(c, c, 1)
        self.op = {choice}

    def forward(self, x, skip):
        x = self.pre(x)
        out = self.op(x)
        {addition}
        return out
{extra}

torch.manual_seed(0)
model = Layer(4)
out = model(torch.randn(2, 4, 5, 5), torch.randn(2, 4, 5, 5))
out.sum().backward()
"""
# a candidate that changes in place what it saved, written after Layer (the lines above stay where they are)
SHIFTED_SIGMOID = """

class ShiftedSigmoid(torch.nn.Module):
    def forward(self, x):
        y = torch.sigmoid(x)
        y += 1
        return y
"""
LINES = {"addition": 36, "inside": 43}

OLD = "from nni.nas.pytorch import mutables"
RETIARII = "import nni.retiarii.nn.pytorch as nn"
NAS = "from nni.nas.nn.pytorch import LayerChoice"
CASES = [
    # (import, the LayerChoice, the line after it, the finding's line (None: none), the candidate it names)
    (OLD, "mutables.LayerChoice([ConvBranch(c), PoolBranch(c)])", "out += skip", "addition", "ConvBranch"),
    (OLD, "mutables.LayerChoice([PoolBranch(c), ConvBranch(c)], key='op')", "out.add_(skip)", "addition",
     "ConvBranch"),
    (RETIARII, "nn.LayerChoice(OrderedDict([('pool', PoolBranch(c)), ('conv', ConvBranch(c))]))", "out += skip",
     "addition", "conv"),
    (NAS, "LayerChoice({'conv': ConvBranch(c), 'id': torch.nn.Identity()}, label='op')", "out += skip", "addition",
     "conv"),
    (NAS, "LayerChoice([ConvBranch(c), ConvBranch(c)])", "out += skip", "addition", "ConvBranch"),
    # the conv candidate saves `x`, which the choice returns only when it picks the identity: never the same run
    (OLD, "mutables.LayerChoice([torch.nn.Identity(), torch.nn.Conv2d(c, c, 1)])", "out += skip", None, None),
    # `x` itself changed: the conv candidate saved it
    (OLD, "mutables.LayerChoice([torch.nn.Identity(), torch.nn.Conv2d(c, c, 1)])", "x.mul_(2)", "addition",
     "Conv2d"),
    # a change inside a candidate: when the choice picks it
    (OLD, "mutables.LayerChoice([ShiftedSigmoid(), PoolBranch(c)])", "pass", "inside", "ShiftedSigmoid"),
    (OLD, "mutables.LayerChoice([PoolBranch(c), PoolBranch(c)])", "out += skip", None, None),
    (RETIARII, "nn.LayerChoice([ConvBranch(c), PoolBranch(c)])", "out = out + skip", None, None),
]


def run_torch(tmp_path, program: str, choice: int) -> subprocess.CompletedProcess:
    (tmp_path / "program.py").write_text(program)
    env = dict(os.environ, NNI_CHOICE=str(choice))
    return subprocess.run([sys.executable, "program.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=env, check=False)


def fake_nni(tmp_path) -> None:
    for package in ("nni", "nni/nas", "nni/nas/pytorch", "nni/retiarii", "nni/retiarii/nn", "nni/nas/nn"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "nni/nas/pytorch/mutables.py").write_text(FAKE_MUTABLES)
    for package in ("nni/retiarii/nn/pytorch", "nni/nas/nn/pytorch"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text(FAKE_NN)


@pytest.mark.parametrize("import_line, choice, addition, where, named", CASES)
def test_layer_choice_runs_one_candidate(tmp_path, import_line, choice, addition, where, named):
    extra = SHIFTED_SIGMOID if "ShiftedSigmoid" in choice else ""
    program = PROGRAM.format(import_line=import_line, choice=choice, addition=addition, extra=extra)
    fake_nni(tmp_path)
    raised = []
    for index in range(2):
        run = run_torch(tmp_path, program, index)
        if run.returncode != 0:
            assert "modified by an inplace operation" in run.stderr, run.stderr
        raised.append(run.returncode != 0)
    assert any(raised) == (where is not None)

    found = analyze(program, str(tmp_path / "elsewhere" / "program.py"), Config()).findings  # no nni beside it
    if where is None:
        assert found == []
        return
    assert [(f.code, f.span.line, f.severity.value) for f in found] == [("GG201", LINES[where], "warning")]
    assert f"when the LayerChoice picks `{named}`" in found[0].message
