"""A helper of another file is followed by the lines of its statements: a long docstring does not make it too long
to read. kornia's filter2d (98 lines, 34 of them statements) pads its input with `mode=border_type`;
distance_transform then writes into the padded tensor's source (`boundary[mask == 1] = 1`), which replicate padding
keeps for backward. Torch runs the same files: it must raise where the finding says, and the clone must stay quiet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

DOCSTRING = "\n".join(f"    line {i} of the documentation" for i in range(80))

FILTERS = f'''\
import torch.nn.functional as F


def filter2d(input, kernel, border_type="reflect"):
    """Convolve each channel with `kernel`, padded by `border_type`.

{DOCSTRING}
    """
    c = input.shape[1]
    weight = kernel.unsqueeze(1).expand(c, 1, -1, -1)
    padded = F.pad(input, [1, 1, 1, 1], mode=border_type)
    return F.conv2d(padded, weight, groups=c)
'''

TRANSFORM = """\
import torch
import torch.nn as nn
from filters import filter2d


class DistanceTransform(nn.Module):
    def forward(self, image):
        boundary = image * 1.0
        out = torch.zeros_like(image)
        for i in range(3):
            cdt = filter2d(BOUNDARY, torch.ones(1, 3, 3) / 9)
            mask = torch.where(cdt > 0.5, 1.0, 0.0)
            out = out + cdt * mask
            boundary[mask == 1] = 1
        return out


torch.manual_seed(0)
image = torch.rand(1, 1, 6, 6, requires_grad=True)
DistanceTransform()(image).sum().backward()
print("ok")
"""


@pytest.mark.parametrize("argument, raises", [("boundary", True), ("boundary.clone()", False)])
def test_foreign_helper_with_long_docstring_is_followed(tmp_path: Path, argument: str, raises: bool):
    files = {"filters.py": FILTERS, "transform.py": TRANSFORM.replace("BOUNDARY", argument)}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / ".git").mkdir()
    ran = subprocess.run([sys.executable, "transform.py"], capture_output=True, text=True, cwd=tmp_path,
                         env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    project = Project(str(tmp_path), jedi_budget=10.0)
    try:
        found = analyze(files["transform.py"], str(tmp_path / "transform.py"), Config(), project=project).findings
    finally:
        project.close()
    loud = [(f.code, f.span.line) for f in found if f.severity.value in ("error", "warning")]
    if raises:
        assert "modified by an inplace operation" in ran.stderr, ran.stderr
        assert loud == [("GG201", 14)]
    else:
        assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
        assert loud == []
