"""A function's own walk reads the modules, optimizers and tensors the module binds once (analysis/module_globals.py):
`netG = nn.Sequential(..., nn.Tanh())` at module level, `d = netG(x); d.data *= 0.5` in a function that module-level
code never calls. Each case below was run under torch 2.13 (the bad ones change what backward() uses, or raise);
the precision cases are the globals a fresh binding would get wrong."""

from __future__ import annotations

from gradguard.analysis.checker import check_source
from gradguard.config import Config

HEAD = """\
import torch
import torch.nn as nn

netG = nn.Sequential(nn.Linear(3, 3), nn.Tanh())
"""

DATA_WRITE = """

def train():
    x = torch.randn(2, 3)
    d = netG(x)
    d.data *= 0.5
    d.sum().backward()
"""


def found(source: str) -> list[tuple[str, int]]:
    return sorted((f.code, f.span.line) for f in check_source(source, "script.py", Config(strict=True)).findings)


def test_module_level_model_read_by_a_function_nobody_here_calls():
    # torch: TanhBackward0 computes 1 - y**2 from the halved output, the weight's gradient is wrong, no error
    assert ("GG401", 10) in found(HEAD + DATA_WRITE)


def test_model_built_twice_at_module_level_is_not_taken():
    source = HEAD + "if torch.cuda.is_available():\n    netG = nn.Sequential(nn.Linear(3, 3), nn.Sigmoid())\n" + DATA_WRITE
    assert not [f for f in found(source) if f[0] == "GG401"]


def test_model_rebound_by_a_function_is_not_taken():
    rebinder = "\n\ndef reset():\n    global netG\n    netG = nn.Linear(3, 3)\n"
    assert not [f for f in found(HEAD + rebinder + DATA_WRITE) if f[0] == "GG401"]


def test_model_built_in_a_module_level_loop_is_not_taken():
    source = HEAD.replace("netG = ", "for _ in range(2):\n    netG = ") + DATA_WRITE
    assert not [f for f in found(source) if f[0] == "GG401"]


def test_leaf_changed_at_module_level_is_not_taken():
    # `w.requires_grad_(False)` after the binding: `w.add_(1)` in the function is fine under torch
    source = ("import torch\n\nw = torch.zeros(3, requires_grad=True)\nw.requires_grad_(False)\n\n\n"
              "def bump():\n    w.add_(1)\n")
    assert found(source) == []
    assert ("GG101", 7) in found(source.replace("w.requires_grad_(False)\n", ""))  # torch raises


def test_a_parameter_with_a_global_name_stays_the_parameter():
    source = HEAD + DATA_WRITE.replace("def train():", "def train(netG):")
    assert not [f for f in found(source) if f[0] == "GG401"]


def test_function_the_module_calls_is_left_to_the_module_walk():
    # the module's walk follows `train()` with the state its code built (here the same finding, reported once)
    assert found(HEAD + DATA_WRITE + "\n\ntrain()\n").count(("GG401", 10)) == 1


def test_the_editor_walks_a_function_again_when_the_global_it_reads_becomes_a_model():
    """The editor's per-scope cache (analysis/incremental.py): `netG = None` reads as nothing, but the function's
    walk still depends on that line, so the edit that builds the model there is seen without touching `train`."""
    from gradguard.analysis.incremental import IncrementalAnalyzer

    none_yet = HEAD.replace("netG = nn.Sequential(nn.Linear(3, 3), nn.Tanh())", "netG = None") + DATA_WRITE
    built = HEAD + DATA_WRITE
    doc = IncrementalAnalyzer()
    config = Config(strict=True)
    assert not [f for f in doc.analyze(none_yet, "script.py", config, 10).findings if f.code == "GG401"]
    after = sorted((f.code, f.span.line) for f in doc.analyze(built, "script.py", config, 10).findings)
    assert after == found(built) and ("GG401", 10) in after
