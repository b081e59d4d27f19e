"""Flags read from a class attribute (`inplace = True` in the class body) or from a dataclass config the file builds
(`Attention(AttnConfig())`, its fields' defaults or the values given): each program is analysed and run under
torch, and gradguard reports exactly where torch raises, and nothing where torch runs clean.

A config the file does not build (the model's class on its own, `cfg: AttnConfig` an argument) is read with its
defaults, as the class's users build it unless they say otherwise: what torch then raises is a warning that names
the default (a caller may pass `inplace_dropout=False`). A file that builds the class itself says what it passes,
and only that is reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

DATACLASS = '''from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class AttnConfig:
    dim: int = 8
    attn_pdrop: float = 0.1
    inplace_dropout: bool = True


class Attention(nn.Module):
    def __init__(self, cfg: AttnConfig):
        super().__init__()
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.attn_drop = nn.Dropout(cfg.attn_pdrop, inplace=cfg.inplace_dropout)
        self.dim = cfg.dim

    def forward(self, x):
        q, k, v = self.qkv(x).split(self.dim, dim=-1)
        w = F.softmax(q @ k.transpose(-1, -2) * self.dim ** -0.5, dim=-1)
        w = self.attn_drop(w)
        return w @ v


torch.manual_seed(0)
model = Attention(BUILD)
model(torch.randn(2, 3, 8)).sum().backward()
print("ok")
'''

CLASS_ATTRIBUTE = '''import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    inplace = True

    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.gate = nn.Linear(dim, dim)
        SETUP
        self.act = nn.ReLU(inplace=self.inplace)

    def forward(self, x):
        h = self.fc(x)
        gated = h * torch.sigmoid(self.gate(x))
        h = self.act(h)
        return h + gated


SUBCLASS

torch.manual_seed(0)
block = BUILD
block(torch.randn(2, 4)).sum().backward()
print("ok")
'''


def analyse_and_run(tmp_path: Path, text: str):
    path = tmp_path / "program.py"
    path.write_text(text)
    found = analyze(text, str(path), Config())
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    return [(f.code, f.span.line, f.severity.value) for f in found.findings], ran


@pytest.mark.parametrize("build", ["AttnConfig()", "AttnConfig(8, 0.2)", "AttnConfig(attn_pdrop=0.2)"])
def test_a_config_built_with_inplace_dropout_left_true(tmp_path: Path, build: str):
    found, ran = analyse_and_run(tmp_path, DATACLASS.replace("BUILD", build))
    assert "modified by an inplace operation" in ran.stderr
    assert found == [("GG201", 25, "error")]


@pytest.mark.parametrize("build", ["AttnConfig(inplace_dropout=False)", "AttnConfig(8, 0.1, False)"])
def test_a_config_built_with_inplace_dropout_false_is_quiet(tmp_path: Path, build: str):
    found, ran = analyse_and_run(tmp_path, DATACLASS.replace("BUILD", build))
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found == []


def test_a_config_the_file_does_not_build_is_read_with_its_defaults():
    library = DATACLASS.split("torch.manual_seed(0)")[0]
    found = analyze(library, "attention.py", Config())
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG201", 25, "warning")]
    assert "with the constructor's default `cfg.inplace_dropout=True`" in found.findings[0].message


def test_a_config_without_an_annotation_stays_unknown():
    library = DATACLASS.split("torch.manual_seed(0)")[0].replace("cfg: AttnConfig", "cfg")
    assert analyze(library, "attention.py", Config()).findings == []


def program(setup: str, build: str, base: str = "True", subclass: str = "") -> str:
    return CLASS_ATTRIBUTE.replace("inplace = True", f"inplace = {base}").replace("SETUP", setup) \
        .replace("SUBCLASS", subclass).replace("BUILD", build)


LOUD = "class Loud(GatedBlock):\n    inplace = True\n"


@pytest.mark.parametrize("text", [program("pass", "GatedBlock(4)"), program("pass", "Loud(4)", "False", LOUD)])
def test_a_class_attribute_is_what_self_reads(tmp_path: Path, text: str):
    """On the class, or on a subclass over the base's False (the base alone is quiet, Loud is not)."""
    found, ran = analyse_and_run(tmp_path, text)
    assert "modified by an inplace operation" in ran.stderr
    assert found == [("GG201", 18, "error")]


@pytest.mark.parametrize("text", [program("self.inplace = False", "GatedBlock(4)"),
                                  program("pass", "GatedBlock(4)", "False")])
def test_a_class_attribute_set_false_or_overridden_in_init_is_quiet(tmp_path: Path, text: str):
    found, ran = analyse_and_run(tmp_path, text)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found == []
