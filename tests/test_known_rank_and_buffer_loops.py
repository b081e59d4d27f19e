"""Two things the walk knows and torch decides by: a tensor's rank, when its sizes are all known (`x.dim() == 2`
takes one side), and the buffers a loop over `module.buffers()` visits (analysis/buffer_loops.py). Each variant is
run under torch first: torch decides whether it raises, and gradguard reports exactly then."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

RANK = '''
import torch

y = torch.rand(2, 3, requires_grad=True)
PREP
if TEST:
    y.add_(1)
print("ran")
'''

RANK_CASES = {
    # (PREP, TEST): torch raises (the leaf is changed in place) exactly when the branch runs
    "dim() of the rank": (("x = y * 2", "x.dim() == 2"), True),
    "dim() of another rank": (("x = y * 2", "x.dim() == 3"), False),
    "ndim of another rank": (("x = y * 2", "x.ndim == 3"), False),
    "len of shape, another rank": (("x = y * 2", "len(x.shape) == 3"), False),
    "len of size(), the rank": (("x = y * 2", "len(x.size()) == 2"), True),
    "rank after unsqueeze_": (("x = y * 2\nx.unsqueeze_(0)", "x.dim() == 3"), True),
    "len of shape after squeeze_": (("x = (y * 2)[:1]\nx.squeeze_(0)", "len(x.shape) == 1"), True),
    "rank after .data is set": (("x = torch.zeros(2, 3)\nx.data = torch.zeros(4, 5, 6)", "x.dim() == 3"), True),
    "factory of the rank": (("x = torch.zeros(4, 5, 6)", "x.ndim == 3"), True),
    "factory of another rank": (("x = torch.zeros(4, 5, 6)", "x.ndim != 3"), False),
}


def run_torch(text: str, tmp_path) -> subprocess.CompletedProcess:
    path = tmp_path / "case.py"
    path.write_text(text)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", list(RANK_CASES))
def test_a_branch_on_a_known_rank_takes_the_side_torch_takes(name, tmp_path):
    (prep, test), raises = RANK_CASES[name]
    text = RANK.replace("PREP", prep).replace("TEST", test)
    run = run_torch(text, tmp_path)
    assert (run.returncode != 0) == raises, run.stderr
    result = analyze(text, "case.py", Config(strict=True))
    assert result.error is None
    line = text.splitlines().index("    y.add_(1)") + 1
    found = [(f.code, f.span.line) for f in result.findings if f.severity.value in ("error", "warning")]
    assert found == ([("GG101", line)] if raises else []), found


NET = '''
import torch
import torch.nn as nn


class LIF(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("v", torch.zeros(0))
        self.register_buffer("trace", torch.zeros(0))

    def forward(self, x):
        if self.v.shape != x.shape:
            self.v = torch.zeros_like(x)
            self.trace = torch.zeros_like(x)
        self.v = 0.9 * self.v + x
        self.trace = 0.9 * self.trace + torch.sigmoid(self.v)
        return self.trace


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.lif = LIF()

    def reset(self):
        RESET

    def forward(self, x):
        return self.lif(self.fc(x))


torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(3):
    net.reset()
    loss = net(torch.randn(2, 3)).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("ran")
'''

BUFFER_CASES = {
    # RESET: torch raises at the second backward() (the buffers keep the previous batch's graph)?
    "zeroed and detached": ("for b in self.buffers():\n            b.zero_().detach_()", False),
    "detached": ("for b in self.buffers():\n            b.detach_()", False),
    "named, zeroed and detached": ("for name, b in self.named_buffers():\n            b.zero_().detach_()", False),
    "zeroed only": ("for b in self.buffers():\n            b.zero_()", True),
    "own buffers only (there are none)": ("for b in self.buffers(recurse=False):\n            b.zero_().detach_()",
                                          True),
    "no reset": ("pass", True),
}


@pytest.mark.parametrize("name", list(BUFFER_CASES))
def test_a_loop_over_the_buffers_resets_each(name, tmp_path):
    reset, raises = BUFFER_CASES[name]
    text = NET.replace("RESET", reset)
    run = run_torch(text, tmp_path)
    assert (run.returncode != 0) == raises, run.stderr
    if raises:
        assert "Trying to backward through the graph a second time" in run.stderr
    result = analyze(text, "net.py", Config(strict=True))
    assert result.error is None
    line = text.splitlines().index("    loss.backward()") + 1
    found = {(f.code, f.span.line) for f in result.findings if f.severity.value == "error"}
    assert found == ({("GG502", line)} if raises else set()), found
