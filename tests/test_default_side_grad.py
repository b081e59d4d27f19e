"""What a module built with its constructor's defaults holds, where an `if` on a bool default binds a name to a
tensor that requires grad on one side and to another tensor on the other (rope-vit's RoPEAttention: learned
frequencies with `rope_mixed=True`, fixed ones moved to the input's device otherwise), or an inline `a if flag else b` picks a chunk piece on
the defaults' side (sinkhorn-transformer's `to_kv(x).chunk(2) if not self.context_only else (context, context)`).

Each program runs under torch with its driver (the class built with each setting); gradguard sees the class alone.
With the defaults on the side that raises, the finding is a warning that names the default; with the default on the
other side, no error or warning (the change raises only for a module built otherwise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

BRANCH = '''import torch
import torch.nn as nn


class RotaryAttention(nn.Module):
    def __init__(self, dim, learned=DEFAULT):
        super().__init__()
        self.qk = nn.Linear(dim, 2 * dim)
        self.learned = learned
        if learned:
            self.freqs = nn.Parameter(torch.randn(dim))
        else:
            self.register_buffer("fixed_freqs", torch.linspace(0.1, 1.0, dim))

    def forward(self, x):
        B, N, D = x.shape
        qk = self.qk(x).reshape(B, N, 2, D).permute(2, 0, 1, 3)
        q, k = qk[0], qk[1]
        if self.learned:
            freqs = FREQS
        else:
            freqs = self.fixed_freqs.to(x.device)
        freqs = freqs.view(1, 1, D)
        CHANGE
        return (q @ k.transpose(-2, -1)).softmax(dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    for learned in (DEFAULT, not DEFAULT):
        RotaryAttention(4, learned)(torch.randn(2, 3, 4)).sum().backward()
        print("ran", learned)
'''

IN_PLACE = "q[:, 1:] = q[:, 1:] * freqs"
OUT_OF_PLACE = "q = torch.cat((q[:, :1], q[:, 1:] * freqs), dim=1)"


def run(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "attention.py"
    path.write_text(text)
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)


def loud(text: str) -> list:
    library = text.split('if __name__ == "__main__":')[0]
    return [(f.code, f.span.line, f.severity.value, f.message) for f in analyze(library, "attention.py", Config()).findings
            if f.severity.value in ("error", "warning")]


@pytest.mark.parametrize("freqs", ["self.freqs.cos()", "self.freqs"])  # made on the side, or taken there
@pytest.mark.parametrize("default, change, fails_with", [
    (True, IN_PLACE, True),
    (True, OUT_OF_PLACE, None),
    (False, IN_PLACE, True),  # raises only when built with learned=True: not the defaults
    (False, OUT_OF_PLACE, None),
])
def test_a_name_that_requires_grad_on_the_defaults_side(tmp_path: Path, freqs, default, change, fails_with):
    text = BRANCH.replace("DEFAULT", str(default)).replace("FREQS", freqs).replace("CHANGE", change)
    ran = run(tmp_path, text)
    if fails_with is None:
        assert ran.returncode == 0, ran.stderr
    else:
        assert "modified by an inplace operation" in ran.stderr
        assert ran.stdout.count("ran") == (0 if default is fails_with else 1)
    found = loud(text)
    if fails_with is not None and default is fails_with:
        assert [f[:3] for f in found] == [("GG201", 24, "warning")]
        assert "with the constructor's default `learned=True`" in found[0][3]
    else:
        assert found == []


CHUNK = '''import torch
import torch.nn as nn


class KeyValues(nn.Module):
    def __init__(self, dim, context_only=DEFAULT):
        super().__init__()
        self.to_kv = nn.Linear(dim, dim * 2)
        self.context_only = context_only

    def forward(self, x, context=None):
        kv = self.to_kv(x).chunk(2, dim=-1) if not self.context_only else (context, context)
        k, v = kv
        CHANGE
        return k + v


if __name__ == "__main__":
    torch.manual_seed(0)
    for context_only in (DEFAULT, not DEFAULT):
        x = torch.randn(2, 3, 4)
        KeyValues(4, context_only)(x, torch.randn(2, 3, 4, requires_grad=True) * 1).sum().backward()
        print("ran", context_only)
'''


@pytest.mark.parametrize("default, change, fails", [
    (False, "k[:, 1:] = k[:, 1:] * 2", True),
    (False, "k = torch.cat((k[:, :1], k[:, 1:] * 2), dim=1)", False),
    (True, "k[:, 1:] = k[:, 1:] * 2", True),  # the chunk only when built with context_only=False
])
def test_a_chunk_piece_picked_by_an_inline_if_on_a_default(tmp_path: Path, default, change, fails):
    text = CHUNK.replace("DEFAULT", str(default)).replace("CHANGE", change)
    ran = run(tmp_path, text)
    if fails:
        assert "is a view and is being modified inplace" in ran.stderr
        assert ran.stdout.count("ran") == (0 if default is False else 1)
    else:
        assert ran.returncode == 0, ran.stderr
    found = loud(text)
    if fails and default is False:
        assert [f[:3] for f in found] == [("GG301", 14, "warning")]
        assert "with the constructor's default `context_only=False`" in found[0][3]
    elif not fails:
        assert found == []


PARTIAL = '''import torch
import torch.nn as nn
from functools import partial


def learned_freqs(freqs, n):
    return freqs[:n].cos()


def fixed_freqs(n, base):
    return torch.linspace(0.1, base, n)


class RotaryAttention(nn.Module):
    def __init__(self, dim, learned=DEFAULT):
        super().__init__()
        self.qk = nn.Linear(dim, 2 * dim)
        if learned:
            self.freqs = nn.Parameter(torch.randn(dim))
            self.make_freqs = partial(learned_freqs, self.freqs)
        else:
            self.make_freqs = partial(fixed_freqs, base=1.0)

    def forward(self, x):
        B, N, D = x.shape
        qk = self.qk(x).reshape(B, N, 2, D).permute(2, 0, 1, 3)
        q, k = qk[0], qk[1]
        freqs = self.make_freqs(n=D).view(1, 1, D)
        CHANGE
        return (q @ k.transpose(-2, -1)).softmax(dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    for learned in (DEFAULT, not DEFAULT):
        RotaryAttention(4, learned)(torch.randn(2, 3, 4)).sum().backward()
        print("ran", learned)
'''


@pytest.mark.parametrize("default, change, fails", [
    (True, IN_PLACE, True),
    (True, OUT_OF_PLACE, False),
    (False, IN_PLACE, True),  # raises only when built with learned=True
])
def test_a_partial_bound_on_the_defaults_side(tmp_path: Path, default, change, fails):
    """`self.make_freqs = partial(learned_freqs, self.freqs)` / `partial(fixed_freqs, base=1.0)` on the two sides of
    `if learned:`: the call in forward is the defaults' partial (as a function chosen by them is), not unknown."""
    text = PARTIAL.replace("DEFAULT", str(default)).replace("CHANGE", change)
    ran = run(tmp_path, text)
    if fails:
        assert "modified by an inplace operation" in ran.stderr
        assert ran.stdout.count("ran") == (0 if default else 1)
    else:
        assert ran.returncode == 0, ran.stderr
    found = [f[:2] for f in loud(text)]
    assert found == ([("GG201", 29)] if fails and default else [])
