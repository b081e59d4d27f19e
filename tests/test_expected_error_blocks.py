"""A test's `with pytest.raises(...):` block stops at the error it expects: a helper that asserts the gradients are
still None (DI-engine's `is_differentiable`, called a second time on a loss already backwarded) raises the
AssertionError the test expects before its second backward() runs. The block is not walked, as one that expects
torch's own RuntimeError is not; outside such a block the second backward() is found. Each test file runs under
pytest, and gradguard sees the same text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

TEST_FILE = '''import pytest
import torch
import torch.nn as nn


def check_differentiable(loss, model):
    for p in model.parameters():
        assert p.grad is None
    loss.backward()


def test_second_check():
    torch.manual_seed(0)
    net = nn.Linear(2, 1)
    loss = net(torch.randn(4, 2)).sum()
    check_differentiable(loss, net)
WRAPPED
'''

CASES = [
    # (the second call, as the test writes it; whether pytest passes; gradguard's findings on the file)
    ("    with pytest.raises(AssertionError):\n        check_differentiable(loss, net)", True, []),
    ("    with pytest.raises(RuntimeError):\n        net.zero_grad(set_to_none=True)\n        loss.backward()", True, []),
    ("    net.zero_grad(set_to_none=True)\n    check_differentiable(loss, net)", False, ["GG501"]),
]


@pytest.mark.parametrize("second, passes, codes", CASES)
def test_expected_error_block(tmp_path: Path, second, passes, codes):
    text = TEST_FILE.replace("WRAPPED", second)
    path = tmp_path / "test_helper.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert (ran.returncode == 0) == passes, ran.stdout
    if not passes:
        assert "backward through the graph a second time" in ran.stdout
    found = [f.code for f in analyze(text, "test_helper.py", Config()).findings
             if f.severity.value in ("error", "warning")]
    assert found == codes
