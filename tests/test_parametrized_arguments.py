"""A test's argument that `@pytest.mark.parametrize` gives only literals (`[0.1, 1.0]`) is that literal, no tensor.

DI-engine's test_contrastive_loss made its data as `y = x ** 2 + noise * np.random.normal(...)` with `noise` from
`[0.1, 1.0]`: taken as a tensor that may require grad, `noise * ...` was a graph made once before the loop, which
each batch's backward() went through again (a GG501 warning). The program runs under torch (pytest collects and
runs the test), and gradguard sees no finding; a value that is not a literal keeps the argument unknown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradguard.analysis.syntax import parametrized_value
from gradguard.analysis.values import UNKNOWN, Number
from gradguard.config import Config
from gradguard.engine import analyze

PROGRAM = '''import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset


@pytest.mark.parametrize('noise', [0.1, 1.0])
@pytest.mark.parametrize('dims', [16, 4])
def test_loss(noise, dims):
    x = np.random.normal(0, 1, size=[64, dims])
    y = x ** 2 + noise * np.random.normal(0, 1, size=[64, dims])
    estimator = torch.nn.Bilinear(dims, dims, 1)
    dataset = TensorDataset(torch.Tensor(x), torch.Tensor(y))
    dataloader = DataLoader(dataset, batch_size=16)
    optimizer = torch.optim.Adam(estimator.parameters(), lr=3e-4)
    for epoch in range(3):
        for inputs in dataloader:
            x, y = inputs
            optimizer.zero_grad()
            loss = estimator(x, y).sum()
            loss.backward()
            optimizer.step()
'''


def test_literal_parameters_are_no_tensors(tmp_path: Path):
    path = tmp_path / "test_contrastive.py"
    path.write_text(PROGRAM)
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0 and "4 passed" in ran.stdout, ran.stdout + ran.stderr
    found = [(f.code, f.span.line) for f in analyze(PROGRAM, str(path), Config(strict=True)).findings]
    assert found == []


def test_only_literals_decide():
    import ast

    fn = ast.parse(
        "@pytest.mark.parametrize('a, b', [(1, 'x'), (2.5, None)])\n"
        "@pytest.mark.parametrize('c', [torch.randn(3), 1.0])\n"
        "@mark.parametrize('d', [[1, 16, 16], 8])\n"
        "def test_f(a, b, c, d, e): pass\n").body[0]
    assert parametrized_value(fn, "a") == Number()
    assert parametrized_value(fn, "b") is UNKNOWN
    assert parametrized_value(fn, "c") is None  # a tensor may be among them
    assert parametrized_value(fn, "d") is UNKNOWN  # a list of numbers on one case
    assert parametrized_value(fn, "e") is None
