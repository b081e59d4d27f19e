"""A class that names itself as its base (diffusers' deprecation shims: `class UpBlockMotion(UpBlockMotion)` over an
imported class of that name) is looked up without looping: the base is the outer class, which the walk does not read.
The engine used to loop forever on such a file, growing its memory, so `gradguard check` over diffusers never ended."""

from __future__ import annotations

import json
import subprocess
import sys

SHIM = """import torch
from torch import nn
from .blocks import UpBlock, Outer


class UpBlock(UpBlock):
    def forward(self, x):
        y = torch.sigmoid(x)
        y.mul_(2)
        return y


class Outer(Outer):
    def forward(self, x):
        return self.inherited(x)


class Mid(Outer):
    pass


def run(x):
    return UpBlock().forward(x) + Mid().forward(x)
"""


def check(tmp_path, source: str) -> list:
    path = tmp_path / "shim.py"
    path.write_text(source)
    out = subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", "--no-cache", "-j", "1",
                          "--format", "json", str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def test_a_self_named_base_ends_and_the_class_own_methods_are_checked(tmp_path):
    findings = check(tmp_path, SHIM)
    assert [(f["code"], f["line"]) for f in findings] == [("GG201", 9)]
