"""What a configuration's default and a module's truth decide (defaults.config_default, defaults.module_truth).

`size = config.get("embedding_size", 8)` in the `__init__` of a class the file does not build is read as the
default the configuration gives when it leaves the key out, as a constructor's default is: an `if size:` takes the
side the default takes (the walk still takes both), and what torch raises there is a warning that names the default.
`if self.gate:` on a module is true (an nn.Module defines no `__bool__`) unless it has a `__len__`: an empty
nn.Sequential is false, so a container stays unknown.

Each program runs under torch with its driver; gradguard sees the file as written (the class alone unless the
file builds it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

TRUTH = '''import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.gate = GATE
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        if x.shape[0] > 1:
            h = h * 2
        if self.gate:
            h = torch.sigmoid(h)
        h += 1
        return h


if __name__ == "__main__":
    Block(4)(torch.randn(2, 4)).sum().backward()
'''

CONFIG = '''import torch
import torch.nn as nn


class Embedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.emb = nn.Parameter(torch.zeros(dim))

    def forward(self, data):
        data += self.emb
        return data


class Individual(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.position = Embedding(dim)

    def forward(self, data):
        return self.position(data)


class Shared(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, data):
        return self.fc(data)


class Layer(nn.Module):
    def __init__(self, dim, module_type):
        super().__init__()
        if module_type == "individual":
            self.layer = Individual(dim)
        else:
            self.layer = Shared(dim)

    def forward(self, data):
        return self.layer(data)


class Net(nn.Module):
    def __init__(self, config):
        super().__init__()
        size = config.get("embedding_size", SIZE)
        if size:
            self.embed = nn.Linear(4, size)
        else:
            self.embed = None
        module_type = config.get("module_type", "individual")
        self.layers = nn.ModuleList()
        for _ in range(2):
            self.layers.append(Layer(size or 4, module_type))

    def forward(self, batch):
        data = batch["X"]
        if self.embed:
            data = torch.relu(self.embed(data))
        for layer in self.layers:
            data = layer(data)
        return data
'''

DRIVER = '''

if __name__ == "__main__":
    Net(BUILT)({"X": torch.randn(2, 4)}).sum().backward()
'''


def loud(text: str, tmp_path: Path) -> list[tuple[int, str, str]]:
    path = tmp_path / "model.py"
    path.write_text(text, encoding="utf-8")
    result = analyze(text, str(path), Config())
    return [(f.span.line, f.code, f.severity.value) for f in result.findings
            if f.severity.value in ("error", "warning")]


def torch_raises(text: str, tmp_path: Path) -> bool:
    path = tmp_path / "run.py"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 or "modified by an inplace operation" in run.stderr, run.stderr[-500:]
    return run.returncode != 0


@pytest.mark.parametrize("gate, raises", [
    ("nn.Linear(dim, dim)", True),  # always there, always true: the sigmoid runs
    ("nn.Sequential()", False),  # empty: false, the sigmoid never runs
])
def test_module_truth(tmp_path: Path, gate: str, raises: bool):
    text = TRUTH.replace("GATE", gate)
    assert torch_raises(text, tmp_path) is raises
    found = loud(text.split('\nif __name__')[0], tmp_path)
    assert bool([f for f in found if f[:2] == (17, "GG201")]) is raises, found


GETATTR = (('config.get("embedding_size", SIZE)', 'getattr(config, "embedding_size", SIZE)'),
           ('config.get("module_type", "individual")', 'getattr(config, "module_type", "individual")'))


@pytest.mark.parametrize("read", ["get", "getattr"])
@pytest.mark.parametrize("size, raises", [("8", True), ("0", False)])
def test_configuration_default_decides_the_branch(tmp_path: Path, size: str, raises: bool, read: str):
    text = CONFIG
    if read == "getattr":  # an object whose attributes a configuration sets: `getattr(config, key, default)`
        for old, new in GETATTR:
            text = text.replace(old, new)
    text = text.replace("SIZE", size)
    built = "{}" if read == "get" else "type('Config', (), {})()"
    assert torch_raises(text + DRIVER.replace("BUILT", built), tmp_path) is raises
    found = loud(text, tmp_path)  # the class alone, as a library file
    hits = [f for f in found if f[1] == "GG201"]
    if raises:
        assert hits and all(severity == "warning" for _, _, severity in hits), found
    else:  # the default leaves the embedding out: what the key set otherwise does is a warning naming that setting
        assert all(severity == "warning" for _, _, severity in hits), found


@pytest.mark.parametrize("built, raises", [
    ("{}", True),  # the file builds it with the defaults: the warning stands
    ('{"embedding_size": 0}', False),  # a builder sets the key: the default's finding is dropped
    ('dict(module_type="shared")', False),
])
def test_builders_that_set_the_key(tmp_path: Path, built: str, raises: bool):
    text = CONFIG.replace("SIZE", "8") + DRIVER.replace("BUILT", built)
    assert torch_raises(text, tmp_path) is raises
    found = [f for f in loud(text, tmp_path) if f[1] == "GG201"]
    assert bool(found) is raises, found
