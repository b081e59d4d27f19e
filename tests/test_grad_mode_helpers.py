"""Grad mode is global: a helper that switches it off with a bare `torch.set_grad_enabled(False)` (not a `with`)
leaves it off for its caller, and the next epoch's backward() raises. Both programs run under torch; gradguard
reports GG503 where torch raises, and nothing for the twin that uses `with`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze

BAD = '''"""A validation helper switches grad mode off with a bare `torch.set_grad_enabled(False)`.

Grad mode is global: it stays off after `validate()` returns, so the second epoch's forward records no graph and
its `loss.backward()` raises. `with torch.set_grad_enabled(False):` (or `torch.no_grad()`) restores it on exit.
"""
import torch
import torch.nn as nn


def validate(model, loader, criterion):
    model.eval()
    torch.set_grad_enabled(False)
    total = sum(criterion(model(x), y).item() for x, y in loader)
    return total / len(loader)


def fit(model, train_loader, val_loader, optimizer, criterion, epochs):
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        print(epoch, round(validate(model, val_loader, criterion), 4))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    data = [(torch.randn(3, 4), torch.randn(3, 1))]
    fit(model, data, data, torch.optim.SGD(model.parameters(), lr=0.1), nn.MSELoss(), 2)
'''

GOOD = '''"""A validation helper switches grad mode off in `with torch.set_grad_enabled(False):` only."""
import torch
import torch.nn as nn


def validate(model, loader, criterion):
    model.eval()
    with torch.set_grad_enabled(False):
        total = sum(criterion(model(x), y).item() for x, y in loader)
    return total / len(loader)


def fit(model, train_loader, val_loader, optimizer, criterion, epochs):
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        print(epoch, round(validate(model, val_loader, criterion), 4))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    data = [(torch.randn(3, 4), torch.randn(3, 1))]
    fit(model, data, data, torch.optim.SGD(model.parameters(), lr=0.1), nn.MSELoss(), 2)
'''


def analyse_and_run(tmp_path: Path, text: str):
    path = tmp_path / "program.py"
    path.write_text(text)
    found = analyze(text, str(path), Config())
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    return [(f.code, f.span.line, f.severity.value) for f in found.findings], ran


def test_a_helper_that_leaves_grad_mode_off(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, BAD)
    assert "element 0 of tensors does not require grad" in ran.stderr
    assert 'line 23, in fit' in ran.stderr
    assert found == [("GG503", 23, "error")]


def test_a_helper_that_switches_grad_mode_off_in_a_with_is_quiet(tmp_path: Path):
    found, ran = analyse_and_run(tmp_path, GOOD)
    assert ran.returncode == 0, ran.stderr
    assert found == []
