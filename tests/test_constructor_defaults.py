"""A class the file does not build is read with its constructor's defaults (`mode="a"`): the branch, the module or
the flag they select is followed, and what torch then raises is a warning that names the default. A change that
runs only on a side the defaults do not take is no finding: torch never raises on it, with the defaults (where the
change does not run) or without them (where the tensor is another one). A bool flag is the exception: a tensor made
on the side its default does not take is what the module built with the flag flipped makes (`self_attention=True`),
and what torch raises then is a warning that names that setting.

Each program runs under torch with its driver (the class built with each setting); gradguard sees the class alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, mode="a"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.mode = mode

    def forward(self, x):
        x = self.fc(x)
        if self.mode TEST_ONE:
            h = torch.tanh(x)
        else:
            h = x.clone()
        if self.mode TEST_TWO:
            h += 1
        return h


if __name__ == "__main__":
    for mode in ("a", "b", "c"):
        Block(4, mode)(torch.randn(2, 4)).sum().backward()
        print("ran", mode)
'''

CASES = [
    # (first test, second test, the mode torch fails with or None, gradguard's finding on line 18 or None)
    ('== "a"', '== "b"', None, None),  # tanh only with "a", the change only with "b"
    ('== "a"', '== "a"', "a", "warning"),  # the defaults' own path raises
    ('in ("a", "c")', '!= "b"', "a", "warning"),
    ('== "b"', '== "b"', "b", None),  # raises only when built with mode="b": the defaults do not lead there
]


@pytest.mark.parametrize("first, second, fails_with, expected", CASES)
def test_what_the_defaults_select(tmp_path: Path, first, second, fails_with, expected):
    text = PROGRAM.replace("TEST_ONE", first).replace("TEST_TWO", second)
    path = tmp_path / "block.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if fails_with is None:
        assert ran.returncode == 0, ran.stderr
    else:
        assert "modified by an inplace operation" in ran.stderr
        assert f"ran {fails_with}" not in ran.stdout and ran.stdout.count("ran") == "abc".index(fails_with)

    library = text.split('if __name__ == "__main__":')[0]
    found = [(f.code, f.span.line, f.severity.value) for f in analyze(library, "block.py", Config()).findings]
    assert found == ([] if expected is None else [("GG201", 18, expected)])
    if expected is not None:
        assert "with the constructor's default `mode='a'`" in analyze(library, "block.py", Config()).findings[0].message


def test_the_same_class_built_by_the_file_reports_what_it_builds(tmp_path: Path):
    """The file builds `Block(4, "b")`: the defaults' warning is not shown (the module-level walk follows the call
    with what it passes, and torch runs it clean)."""
    text = PROGRAM.replace("TEST_ONE", '== "a"').replace("TEST_TWO", '== "a"')
    library = text.split('if __name__ == "__main__":')[0] + 'Block(4, "b")(torch.randn(2, 4)).sum().backward()\n'
    path = tmp_path / "block.py"
    path.write_text(library)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert analyze(library, "block.py", Config()).findings == []


def test_a_lambda_with_default_arguments_is_followed():
    """`model=lambda *args, r=frozen_out: r` (DiT's sampler): a lambda has defaults too, and no name."""
    text = '''import torch


def run(x):
    frozen = x.sigmoid()
    pick = lambda *args, r=frozen, scale=2: r
    out = pick(x)
    out.mul_(2)
    return out
'''
    result = analyze(text, "sampler.py", Config(strict=True))
    assert result.error is None
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", 8)]


FLAG_PROGRAM = '''import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, gated=False):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.gated = gated

    def forward(self, x):
        x = self.fc(x)
        if self.gated TEST_ONE:
            h = torch.tanh(x)
        else:
            h = x.clone()
        if self.gated TEST_TWO:
            h += 1
        return h


if __name__ == "__main__":
    for gated in (False, True):
        Block(4, gated)(torch.randn(2, 4)).sum().backward()
        print("ran", gated)
'''

FLAG_CASES = [
    # (first test, second test, the setting torch fails with or None, what gradguard's warning names or None)
    ("", "", True, "when the module is built with `gated=True`"),  # the branch is written for gated=True
    ("", "is False", None, None),  # tanh only when gated, the change only when not: never the same tensor
    ("is False", "is False", False, "with the constructor's default `gated=False`"),
    ("is False", "", None, None),
]


@pytest.mark.parametrize("first, second, fails_with, named", FLAG_CASES)
def test_a_bool_flag_set_otherwise_is_a_configuration(tmp_path: Path, first, second, fails_with, named):
    """A tensor made on the side a bool flag's default does not take is made when the module is built with the flag
    flipped: what torch raises then is a warning that names the setting, unless the change itself only runs with
    the default (then the two never meet)."""
    text = FLAG_PROGRAM.replace("TEST_ONE", first).replace("TEST_TWO", second).replace(" :", ":")
    path = tmp_path / "block.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if fails_with is None:
        assert ran.returncode == 0, ran.stderr
    else:
        assert "modified by an inplace operation" in ran.stderr
        assert f"ran {fails_with}" not in ran.stdout

    library = text.split('if __name__ == "__main__":')[0]
    found = analyze(library, "block.py", Config()).findings
    assert [(f.code, f.span.line, f.severity.value) for f in found] == \
        ([] if named is None else [("GG201", 18, "warning")])
    if named is not None:
        assert named in found[0].message


ATTENTION = '''import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim, self_attention=False):
        super().__init__()
        self.self_attention = self_attention
        self.in_proj = nn.Linear(dim, 3 * dim)
        self.q_proj = nn.Linear(dim, dim)
        self.scaling = dim ** -0.5

    def forward(self, query, key, value):
        if self.self_attention:
            q, k, v = self.in_proj(query).chunk(3, dim=-1)
        else:
            q, k, v = self.q_proj(query), key, value
        CHANGE
        return torch.softmax(q @ k.transpose(-1, -2), dim=-1) @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    for self_attention in (False, True):
        x = torch.randn(3, 4)
        Attention(4, self_attention)(x, x, x).sum().backward()
        print("ran", self_attention)
'''


@pytest.mark.parametrize("change, fails", [
    ("q *= self.scaling", True),  # fairseq's MultiheadAttention before pytorch-tpu/fairseq#37
    ("q = q * self.scaling", False),
    ("if not self.self_attention:\n            q *= self.scaling", False),
])
def test_a_chunk_piece_made_only_for_self_attention(tmp_path: Path, change, fails):
    """`q, k, v = self.in_proj(query).chunk(3)` under `if self.self_attention:` (default False), then `q *= s`:
    torch raises once the module is built with `self_attention=True`, the configuration the branch exists for."""
    text = ATTENTION.replace("CHANGE", change)
    path = tmp_path / "attention.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if fails:
        assert "is a view and is being modified inplace" in ran.stderr
        assert "ran False" in ran.stdout and "ran True" not in ran.stdout
    else:
        assert ran.returncode == 0, ran.stderr

    library = text.split('if __name__ == "__main__":')[0]
    found = analyze(library, "attention.py", Config()).findings
    if fails:
        assert [(f.code, f.span.line, f.severity.value) for f in found] == [("GG301", 18, "warning")]
        assert "when the module is built with `self_attention=True`" in found[0].message
    else:
        assert found == []


CONV_BLOCKS = '''import torch
import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, channels, activation="ReLU", preactivation=False, dropout=0):
        super().__init__()
        block = nn.ModuleList()
        conv_layer = nn.Linear(channels, channels)
        activation_layer = None
        if activation is not None:
            activation_layer = getattr(nn, activation)()
        if preactivation:
            self.add_if_not_none(block, activation_layer)
            self.add_if_not_none(block, conv_layer)
        else:
            self.add_if_not_none(block, conv_layer)
            self.add_if_not_none(block, activation_layer)
        if dropout:
            self.add_if_not_none(block, nn.Dropout(p=dropout))
        self.block = nn.Sequential(*block)

    def forward(self, x):
        return self.block(x)

    @staticmethod
    def add_if_not_none(module_list, module):
        if module is not None:
            module_list.append(module)


class ResBlock(nn.Module):
    def __init__(self, channels, preactivation=PREACTIVATION, residual=False, dropout=0):
        super().__init__()
        self.residual = residual
        self.preactivation = preactivation
        self.conv = ConvBlock(channels, preactivation=preactivation, dropout=dropout)
        if residual:
            self.conv_residual = nn.Linear(channels, channels)

    def forward(self, x):
        if self.residual:
            connection = self.conv_residual(x)
            x = self.conv(x)
            CHANGE
        else:
            x = self.conv(x)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    for preactivation in (False, True):
        for residual in (False, True):
            for dropout in (0, 0.5):
                try:
                    ResBlock(4, preactivation, residual, dropout)(torch.randn(3, 4)).sum().backward()
                    print("ran", preactivation, residual, dropout)
                except RuntimeError as error:
                    print("raised", preactivation, residual, dropout, "inplace operation" in str(error))
'''


@pytest.mark.parametrize("preactivation, change, warns", [
    # fepegar/unet's DecodingBlock before its PR 37, in the Decoder that builds it with preactivation=False
    ("False", "x += connection", True),
    ("True", "x += connection", False),  # the defaults put the ReLU first: raising needs two flags flipped
    ("False", "x = x + connection", False),
    # the ReLU is last only without preactivation, the change runs only with it: the two never meet
    ("False", "if self.preactivation:\n                x += connection", False),
])
def test_blocks_a_bool_flag_orders_in_a_helper_filled_module_list(tmp_path: Path, preactivation, change, warns):
    """`if preactivation:` orders the layers a helper appends to a ModuleList, `if dropout:` (default 0) adds one
    more, `nn.Sequential(*block)` runs them; `x += connection` runs only when built with `residual=True`. With the
    defaults' order the ReLU's saved output is what the residual sum changes: torch raises when the module is built
    with residual=True and the other defaults, and only then."""
    text = CONV_BLOCKS.replace("PREACTIVATION", preactivation).replace("CHANGE", change)
    path = tmp_path / "blocks.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    raised = [line for line in ran.stdout.splitlines() if line.startswith("raised")]
    changes_relu_output = "x += connection" in change and not change.startswith("if")
    assert raised == (["raised False True 0 True"] if changes_relu_output else [])

    library = text.split('if __name__ == "__main__":')[0]
    found = analyze(library, "blocks.py", Config()).findings
    if warns:
        line = next(i for i, text_line in enumerate(library.splitlines(), 1) if "x += connection" in text_line)
        assert [(f.code, f.span.line, f.severity.value) for f in found] == [("GG201", line, "warning")]
        assert "with the constructor's default `preactivation=False`, `dropout=0`, when the module is built with " \
            "`residual=True`" in found[0].message
    else:
        assert found == []
