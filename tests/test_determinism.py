"""The same text gives the same findings, byte for byte, in every process.

One op can save several tensors at one program point (`clamp(x, lo, hi)` keeps `lo` as its `min` and as its
`max`). Which of those saves a finding names must not depend on the hash order of a set, which changes from
process to process: the JSON of a run is compared across interpreters started with different hash seeds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROGRAM = '''\
import torch

x = torch.randn(3, requires_grad=True)
lo = torch.zeros(3) * x
hi = lo
y = torch.clamp(x, lo, hi)
lo.add_(1)
y.sum().backward()
'''


def test_findings_do_not_depend_on_the_process(tmp_path: Path):
    source = tmp_path / "multi_save.py"
    source.write_text(PROGRAM)
    outputs = set()
    for seed in range(8):
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        done = subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", "--no-cache", "--format",
                               "json", str(source)], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert '"GG201"' in done.stdout
        outputs.add(done.stdout)
    assert len(outputs) == 1
