"""Two facts of torch the walk now uses, each checked here under torch and against gradguard's verdict:

- a dropout of rate 0 returns its input itself (in training mode too), so an in-place change after it changes what
  the op before it saved; with any other rate it makes a new tensor;
- a module attribute that is a layer on one path and None on another (`self.norm = None`) is, where it is called,
  the layer: its output requires grad like the layer's.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

DRIVER = '''

torch.manual_seed(0)
block = Block(4)
block(torch.randn(2, 4)).sum().backward()
print("ran")
'''

DROPOUT_BLOCK = '''import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, drop=DEFAULT):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.drop = nn.Dropout(drop)
        self.p = drop

    def forward(self, x):
        out = torch.relu(self.fc(x))
        out = DROPOUT
        out += x  # the change
        return out
'''


def run_under_torch(tmp_path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "program.py"
    path.write_text(text)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)


def findings_at_change(text: str) -> list[tuple[str, str]]:
    line = text.splitlines().index("        out += x  # the change") + 1
    return [(f.code, f.severity.value) for f in analyze(text, "block.py").findings if f.span.line == line]


@pytest.mark.parametrize("call", ["self.drop(out)", "F.dropout(out, self.p, training=self.training)"])
@pytest.mark.parametrize("default, raises", [("0.0", True), ("0", True), ("0.1", False), ("0.5", False)])
def test_a_dropout_of_rate_zero_returns_its_input(tmp_path, call, default, raises):
    block = DROPOUT_BLOCK.replace("DEFAULT", default).replace("DROPOUT", call)
    run = run_under_torch(tmp_path, block + DRIVER)
    assert (run.returncode != 0) == raises, run.stderr
    if raises:
        assert "modified by an inplace operation" in run.stderr
    # The class alone (nobody builds it here): the rate is the constructor's default, which a builder may change,
    # so a warning that names it; the file that builds it with its defaults shows the rate: an error.
    assert findings_at_change(block) == ([("GG201", "warning")] if raises else [])
    assert findings_at_change(block + DRIVER) == ([("GG201", "error")] if raises else [])


def test_a_literal_rate_of_zero_is_no_default(tmp_path):
    block = DROPOUT_BLOCK.replace("DEFAULT", "0.5").replace("nn.Dropout(drop)", "nn.Dropout(0.0)") \
        .replace("DROPOUT", "self.drop(out)")
    assert run_under_torch(tmp_path, block + DRIVER).returncode != 0
    assert findings_at_change(block) == [("GG201", "error")]


def test_dropout_in_eval_mode_returns_its_input(tmp_path):
    block = DROPOUT_BLOCK.replace("DEFAULT", "0.5").replace("DROPOUT", "F.dropout(out, 0.5, training=False)")
    run = run_under_torch(tmp_path, block + DRIVER)
    assert run.returncode != 0 and "modified by an inplace operation" in run.stderr
    assert findings_at_change(block) == [("GG201", "error")]


OPTIONAL_NORM = '''import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, norm="NORM"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        if norm == "layernorm":
            self.norm = nn.LayerNorm(dim)
        elif norm == "batchnorm":
            self.norm = nn.BatchNorm1d(dim)
        else:
            self.norm = None

    def forward(self, x):
        out = self.fc(x)
        if self.norm is not None:
            out = self.norm(out)
        out = torch.sigmoid(out)
        out += x  # the change
        return out
'''


@pytest.mark.parametrize("norm", ["layernorm", "batchnorm", "none"])
def test_a_layer_that_may_be_none_is_the_layer_where_it_is_called(tmp_path, norm):
    block = OPTIONAL_NORM.replace("NORM", norm)
    run = run_under_torch(tmp_path, block + DRIVER)
    assert run.returncode != 0 and "modified by an inplace operation" in run.stderr  # every configuration raises
    assert findings_at_change(block) == [("GG201", "error")]


ITEMS_REPLACED = '''from typing import Sequence

import torch
import torch.nn as nn


class Upsample(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.first = nn.ConvTranspose2d(dim, dim, 1)

    def forward(self, features: ANNOTATION):
        features[0] = self.first(features[0])  # the change
        return features
'''

ITEMS_DRIVER = '''

torch.manual_seed(0)
up = Upsample(3)
features = FEATURES
out = up(features)
out[0].sum().backward()
print("ran")
'''


@pytest.mark.parametrize("annotation, features, raises", [
    ("list[torch.Tensor]", "[torch.randn(1, 3, 4, 4), torch.randn(1, 3, 4, 4)]", False),
    ("tuple", "[torch.randn(1, 3, 4, 4), torch.randn(1, 3, 4, 4)]", False),
    ("Sequence[torch.Tensor]", "[torch.randn(1, 3, 4, 4), torch.randn(1, 3, 4, 4)]", False),
    ("torch.Tensor", "torch.randn(2, 1, 3, 4, 4)", True),  # a tensor's row written over what the block saved
])
def test_a_parameter_annotated_as_a_list_has_its_items_replaced(tmp_path, annotation, features, raises):
    """`features[0] = block(features[0])` replaces a list's item: no tensor changes (read as a tensor, the
    argument had the write land in what the block saved: transformers' DepthPro, once appended blocks were known)."""
    block = ITEMS_REPLACED.replace("ANNOTATION", annotation)
    run = run_under_torch(tmp_path, block + ITEMS_DRIVER.replace("FEATURES", features))
    assert (run.returncode != 0) == raises, run.stderr
    line = block.splitlines().index("        features[0] = self.first(features[0])  # the change") + 1
    found = [(f.code, f.severity.value) for f in analyze(block, "up.py").findings if f.span.line == line]
    assert found == ([("GG201", "error")] if raises else [])


CACHE_INDEX = '''import torch
import torch.nn as nn


class Cached(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 2, 1)

    def forward(self, x, cache=None, idx=DEFAULT):
        if cache is not None:
            x = x + cache[idx[0]]
            idx[0] += 1  # the change
        return self.conv(x)
'''

CACHE_DRIVER = '''

torch.manual_seed(0)
model = Cached()
x = torch.randn(1, 2, 3)
cache = [torch.randn(1, 2, 3, requires_grad=True), torch.randn(1, 2, 3)]
model(x, cache, INDEX).sum().backward()
print("ran")
'''


def test_a_parameter_whose_default_is_a_list_is_a_list(tmp_path):
    """`feat_idx=[0]` (diffusers' causal VAEs): `cache[idx[0]]` picks a list's item and `idx[0] += 1` moves on to
    the next slot; no tensor is indexed or changed (read as tensors, they made 40 information findings)."""
    block = CACHE_INDEX.replace("DEFAULT", "[0]")
    run = run_under_torch(tmp_path, block + CACHE_DRIVER.replace("INDEX", "[0]"))
    assert run.returncode == 0, run.stderr
    line = block.splitlines().index("            idx[0] += 1  # the change") + 1
    assert [f for f in analyze(block, "cached.py", Config(strict=True)).findings if f.span.line == line] == []


def test_an_index_tensor_changed_after_advanced_indexing(tmp_path):
    """The index tensors of `x[rows, cols]` are kept for backward; one made in the function and changed after
    is reported (an argument of unknown type used as an index may be an int or a list: not)."""
    program = '''import torch

torch.manual_seed(0)
adj = torch.rand(2, 3, 3, requires_grad=True)
flat = adj.view(-1, 3)
rows, cols = flat.nonzero().t()
picked = flat[rows, cols]
cols += 1  # the change
picked.sum().backward()
'''
    run = run_under_torch(tmp_path, program)
    assert run.returncode != 0 and "modified by an inplace operation" in run.stderr
    line = program.splitlines().index("cols += 1  # the change") + 1
    assert [(f.code, f.severity.value) for f in analyze(program, "pick.py").findings if f.span.line == line] == \
        [("GG201", "error")]
