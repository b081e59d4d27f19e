"""A module the code's own branches choose among several classes (analysis/built_choices.py): one of them, each
candidate walked on its own side. torch runs each program once per setting the caller may pass; gradguard sees
the program text alone (the class, no driver) and must say what holds: an error when every candidate keeps the
changed tensor, a warning naming the one candidate that does, and nothing sure when the finding needs two
choices to meet (the same setting chooses both, and never the combination that would raise)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from gradguard.config import Config
from gradguard.engine import analyze

HEADER = """\
import sys
import torch
import torch.nn as nn


class Sig(nn.Module):
    def forward(self, x):
        return torch.sigmoid(x)


class Shift(nn.Module):
    def forward(self, x):
        return x + 1

"""
DRIVER = """

for kind in sys.argv[1:]:
    torch.manual_seed(0)
    try:
        Net(kind)(torch.randn(2, 4)).sum().backward()
        print(kind, "ok")
    except RuntimeError as error:
        assert "modified by an inplace operation" in str(error)
        print(kind, "raises")
"""
# (the model, the settings, what torch does with each, the finding on the marked line (None: no error or warning))
CASES = [
    # only the ReLU candidate changes the sigmoid's output in place
    ("""class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        if kind == "relu":
            self.act = nn.ReLU(inplace=True)
        else:
            self.act = nn.GELU()

    def forward(self, x):
        return self.act(torch.sigmoid(self.fc(x)))  # mark
""", {"relu": "raises", "gelu": "ok"}, ("warning", "when `self.act` is a `ReLU`")),
    # every candidate keeps its input (a BatchNorm, a Linear), changed after the call
    ("""class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        if kind == "bn":
            self.m = nn.BatchNorm1d(4)
        else:
            self.m = nn.Linear(4, 4)

    def forward(self, x):
        h = self.fc(x)
        y = self.m(h)
        h += 1  # mark
        return y
""", {"bn": "raises", "fc": "raises"}, ("error", None)),
    # the same setting chooses both: the in-place ReLU never follows the sigmoid
    ("""class Net(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(4))
        if kind == "a":
            self.m1 = Sig()
        else:
            self.m1 = nn.Linear(4, 4)
        if kind == "a":
            self.m2 = Shift()
        else:
            self.m2 = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.m2(self.m1(x * self.scale))  # mark
""", {"a": "ok", "b": "ok"}, None),
]


@pytest.mark.parametrize("model, settings, finding", CASES)
def test_chosen_module(tmp_path, model, settings, finding):
    (tmp_path / "program.py").write_text(HEADER + model + DRIVER)
    run = subprocess.run([sys.executable, "program.py", *settings], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, check=True)
    assert dict(line.split() for line in run.stdout.splitlines()) == settings

    source = HEADER + model
    line = source.splitlines().index(next(s for s in source.splitlines() if s.endswith("# mark"))) + 1
    found = [f for f in analyze(source, str(tmp_path / "model.py"), Config()).findings
             if f.severity.value in ("error", "warning")]
    if finding is None:
        assert found == []
        return
    severity, named = finding
    assert [(f.code, f.span.line, f.severity.value) for f in found] == [("GG201", line, severity)]
    if named:
        assert named in found[0].message
