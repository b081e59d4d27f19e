"""OpenMMLab's `mmcv.cnn.ConvModule` as gradguard knows it without reading mmcv (facts.MMCV_*, read from mmcv's
source): with its defaults it runs conv -> norm -> ReLU(inplace=True), so `x = self.lateral(x); x += y` changes the
output ReluBackward saved (GANet's dcn_fpn.py `x += pos`, mmocr's fpn_cat.py). torch is run on each program with a
small `mmcv/cnn/__init__.py` in tmp_path whose ConvModule builds and runs its layers as mmcv's does for these
arguments; gradguard is given the program text alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

# mmcv's ConvModule (mmcv/cnn/bricks/conv_module.py) for a conv_cfg of None, a norm_cfg of None or dict(type='BN')
# and an act_cfg of None or dict(type='ReLU'): the same signature, defaults and forward
FAKE_MMCV = """\
import torch.nn as nn


class ConvModule(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias='auto', conv_cfg=None, norm_cfg=None, act_cfg=dict(type='ReLU'), inplace=True,
                 with_spectral_norm=False, padding_mode='zeros', order=('conv', 'norm', 'act')):
        super().__init__()
        assert conv_cfg is None and norm_cfg in (None, dict(type='BN'))
        assert act_cfg in (None, dict(type='ReLU'))
        self.with_norm = norm_cfg is not None
        self.with_activation = act_cfg is not None
        self.order = order
        if bias == 'auto':
            bias = not self.with_norm
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                              dilation=dilation, groups=groups, bias=bias)
        if self.with_norm:
            self.norm = nn.BatchNorm2d(out_channels)
        if self.with_activation:
            act_cfg_ = act_cfg.copy()
            act_cfg_.setdefault('inplace', inplace)
            self.activate = nn.ReLU(inplace=act_cfg_['inplace'])

    def forward(self, x, activate=True, norm=True):
        for layer in self.order:
            if layer == 'conv':
                x = self.conv(x)
            elif layer == 'norm' and norm and self.with_norm:
                x = self.norm(x)
            elif layer == 'act' and activate and self.with_activation:
                x = self.activate(x)
        return x
"""

PROGRAM = """\
import torch
import torch.nn as nn
{import_line}


class Neck(nn.Module):
    def __init__(self):
        super().__init__()
        self.lateral = ConvModule(3, 4, 1, {arguments})

    def forward(self, x, y):
        x = self.lateral(x)
        {addition}
        return x


torch.manual_seed(0)
model = Neck()
out = model(torch.randn(2, 3, 5, 5), torch.randn(2, 4, 5, 5))
out.sum().backward()
"""
ADDITION_LINE = 13

CASES = [
    # (import, ConvModule's arguments, the addition, raises)
    ("from mmcv.cnn import ConvModule", "norm_cfg=dict(type='BN')", "x += y", True),
    ("from mmcv.cnn import ConvModule", "", "x += y", True),
    ("from mmcv.cnn import ConvModule", "norm_cfg=dict(type='BN'), inplace=False", "x += y", True),
    ("from mmcv.cnn.bricks import ConvModule", "act_cfg=dict(type='ReLU')", "x.add_(y)", True),
    ("from mmcv.cnn import ConvModule", "norm_cfg=dict(type='BN')", "x = x + y", False),
    ("from mmcv.cnn import ConvModule", "norm_cfg=dict(type='BN'), act_cfg=None", "x += y", False),
    ("from mmcv.cnn import ConvModule", "act_cfg=None", "x += y", False),
]


@pytest.mark.parametrize("import_line, arguments, addition, raises", CASES)
def test_conv_module_output_changed_in_place(tmp_path, import_line, arguments, addition, raises):
    program = PROGRAM.format(import_line=import_line, arguments=arguments, addition=addition)
    package = tmp_path / "mmcv" / "cnn"
    (package / "bricks").mkdir(parents=True)
    (tmp_path / "mmcv" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(FAKE_MMCV)
    (package / "bricks" / "__init__.py").write_text("from mmcv.cnn import ConvModule\n")
    (tmp_path / "program.py").write_text(program)
    run = subprocess.run([sys.executable, "program.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    if raises:
        assert run.returncode != 0 and "modified by an inplace operation" in run.stderr, run.stderr
        assert "output 0 of Relu" in run.stderr, run.stderr
    else:
        assert run.returncode == 0, run.stderr

    found = analyze(program, str(tmp_path / "elsewhere" / "program.py"), Config()).findings  # no mmcv beside it
    expected = [("GG201", ADDITION_LINE, "error")] if raises else []
    assert [(f.code, f.span.line, f.severity.value) for f in found] == expected


@pytest.mark.parametrize("arguments, addition", [
    ("order=('act', 'conv', 'norm')", "x += y"),  # the activation is not last: what the call returns is the norm's
    ("act_cfg=cfg", "x += y"),  # a cfg the walk does not know
    ("act_cfg=dict(type='HSwish')", "x += y"),  # one of mmcv's own activations
    ("conv_cfg=dict(type='DCNv2')", "x += y"),  # a conv mmcv builds from its own classes
    ("", "x = x + y"),
])
def test_conv_module_unknown_or_harmless_stays_silent(arguments, addition):
    program = PROGRAM.format(import_line="from mmcv.cnn import ConvModule\ncfg = None", arguments=arguments,
                             addition=addition)
    assert analyze(program, "program.py", Config()).findings == []


def test_conv_module_called_without_its_activation_stays_silent():
    """`self.lateral(x, activate=False)` returns the conv's output, which nothing saved."""
    program = PROGRAM.format(import_line="from mmcv.cnn import ConvModule", arguments="", addition="x += y")
    program = program.replace("self.lateral(x)", "self.lateral(x, activate=False)")
    assert analyze(program, "program.py", Config()).findings == []


# mmcv's build_activation_layer (mmcv/cnn/bricks/activation.py): the registered torch class the cfg's `type` names,
# built with the cfg's other keys (no `inplace` of its own)
FAKE_ACTIVATION_BUILDER = """\
import copy
import torch.nn as nn


def build_activation_layer(cfg):
    args = copy.deepcopy(cfg)
    return getattr(nn, args.pop('type'))(**args)
"""

ACTIVATION_PROGRAM = """\
import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer


class Block(nn.Module):
    def __init__(self, act_cfg={act_cfg}):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.act = build_activation_layer(act_cfg)

    def forward(self, x):
        out = self.act(self.conv(x))
        {addition}
        return out


torch.manual_seed(0)
out = Block()(torch.randn(2, 4, 5, 5, requires_grad=True))
out.sum().backward()
"""


@pytest.mark.parametrize("act_cfg, addition, raises, saved", [
    ("dict(type='ReLU')", "out += x", True, "output 0 of Relu"),
    ("dict(type='ReLU', inplace=True)", "out += x", True, "output 0 of Relu"),
    ("dict(type='Sigmoid')", "out.mul_(2)", True, "output 0 of Sigmoid"),
    ("dict(type='ReLU')", "out = out + x", False, ""),
    ("dict(type='GELU')", "out += x", False, ""),  # GELU keeps its input, not its output
])
def test_build_activation_layer(tmp_path, act_cfg, addition, raises, saved):
    program = ACTIVATION_PROGRAM.format(act_cfg=act_cfg, addition=addition)
    package = tmp_path / "mmcv" / "cnn"
    package.mkdir(parents=True)
    (tmp_path / "mmcv" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(FAKE_ACTIVATION_BUILDER)
    (tmp_path / "program.py").write_text(program)
    run = subprocess.run([sys.executable, "program.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    if raises:
        assert run.returncode != 0 and "modified by an inplace operation" in run.stderr, run.stderr
        assert saved in run.stderr, run.stderr
    else:
        assert run.returncode == 0, run.stderr

    found = analyze(program, str(tmp_path / "elsewhere" / "program.py"), Config()).findings  # no mmcv beside it
    expected = [("GG201", 14, "error")] if raises else []
    assert [(f.code, f.span.line, f.severity.value) for f in found] == expected


# mmcv's build_norm_layer (mmcv/cnn/bricks/norm.py) for a BN/GN cfg: (abbreviation + str(postfix), the layer)
FAKE_NORM_BUILDER = """\
import torch.nn as nn


def build_norm_layer(cfg, num_features, postfix=''):
    cfg_ = cfg.copy()
    layer_type = cfg_.pop('type')
    cfg_.pop('requires_grad', True)
    cfg_.setdefault('eps', 1e-5)
    if layer_type == 'GN':
        return 'gn' + str(postfix), nn.GroupNorm(num_channels=num_features, **cfg_)
    return 'bn' + str(postfix), nn.BatchNorm2d(num_features, **cfg_)
"""

NORM_PROGRAM = """\
import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer


class Block(nn.Module):
    def __init__(self, norm_cfg={norm_cfg}):
        super().__init__()
        self.norm1_name, norm1 = build_norm_layer(norm_cfg, 4, postfix=1)
        self.add_module(self.norm1_name, norm1)
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.relu = nn.ReLU()

    @property
    def norm1(self):
        return getattr(self, self.norm1_name)

    def forward(self, x):
        out = self.relu(self.norm1(self.conv(x)))
        {addition}
        return out


torch.manual_seed(0)
out = Block()(torch.randn(2, 4, 5, 5, requires_grad=True))
out.sum().backward()
"""


@pytest.mark.parametrize("norm_cfg, addition, raises", [
    ("dict(type='BN')", "out += x", True),
    ("dict(type='GN', num_groups=2)", "out += x", True),
    ("dict(type='BN', requires_grad=True)", "out += x", True),
    ("dict(type='BN')", "out = out + x", False),
])
def test_build_norm_layer(tmp_path, norm_cfg, addition, raises):
    program = NORM_PROGRAM.format(norm_cfg=norm_cfg, addition=addition)
    package = tmp_path / "mmcv" / "cnn"
    package.mkdir(parents=True)
    (tmp_path / "mmcv" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(FAKE_NORM_BUILDER)
    (tmp_path / "program.py").write_text(program)
    run = subprocess.run([sys.executable, "program.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    if raises:
        assert run.returncode != 0 and "output 0 of Relu" in run.stderr, run.stderr
    else:
        assert run.returncode == 0, run.stderr

    found = analyze(program, str(tmp_path / "elsewhere" / "program.py"), Config()).findings  # no mmcv beside it
    expected = [("GG201", 20, "error")] if raises else []
    assert [(f.code, f.span.line, f.severity.value) for f in found] == expected
