"""facts.ALIASES claims that another name computes the same op: torch says so (the result's backward node is the
same class), and the analysis treats the alias as the op (an in-place change after it is the op's finding)."""

from __future__ import annotations

import json
import subprocess
import sys

from gradguard import facts
from gradguard.engine import analyze

PROBE = """
import json, sys, torch
out = {}
for alias, target in json.loads(sys.argv[1]).items():
    fns = []
    for qual in (alias, target):
        obj = torch
        for part in qual.split(".")[1:]:
            obj = getattr(obj, part)
        x = (torch.rand(3) + 0.5).requires_grad_()
        fns.append(type(obj(x).grad_fn).__name__)
    out[alias] = fns
print(json.dumps(out))
"""


def test_each_alias_has_the_backward_of_its_op():
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(facts.ALIASES)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for alias, (mine, target) in json.loads(done.stdout).items():
        assert mine == target, f"{alias}: {mine} vs {target}"


def test_the_alias_is_analysed_as_its_op():
    source = ("import torch\nx = torch.randn(3, requires_grad=True)\np = torch.special.expit(x)\np += 1\n"
              "p.sum().backward()\n")
    (finding,) = analyze(source, "alias.py").findings
    assert (finding.code, finding.span.line) == ("GG201", 4) and "`sigmoid`" in finding.message
