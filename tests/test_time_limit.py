"""A file that reaches the time limit keeps what the walk found before it stopped, module scope included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gradguard.analysis.checker import check_source
from gradguard.config import Config

HEAD = """import torch

x = torch.randn(3, requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
y.sum().backward()
"""


def long_module(blocks: int) -> str:
    body = [HEAD]
    for i in range(blocks):
        body.append(f"a{i} = torch.randn(3, requires_grad=True)\nb{i} = torch.sigmoid(a{i}) * 2\n"
                    f"if b{i}.sum() > 0:\n    b{i} = b{i} + a{i}\n")
    return "".join(body)


def test_module_scope_findings_survive_the_time_limit():
    source = long_module(600)
    full = check_source(source, "long.py", Config(), time_limit=None)
    assert [f.code for f in full.findings] == ["GG201"]
    cut = check_source(source, "long.py", Config(), time_limit=0.05)
    assert cut.error and "time limit" in cut.error, "the walk must be cut short for this test to mean anything"
    assert [(f.code, f.span.line) for f in cut.findings] == [(f.code, f.span.line) for f in full.findings]


def test_the_cli_prints_them(tmp_path):
    script = tmp_path / "long.py"
    script.write_text(long_module(600))
    code = ("import sys, gradguard.analysis.checker as c; c.DEFAULT_TIME_LIMIT = 0.05; "
            "import gradguard.cli as cli; sys.exit(cli.main(['check', '--no-follow', sys.argv[1]]))")
    done = subprocess.run([sys.executable, "-c", code, str(script)], capture_output=True, text=True,
                          cwd=Path(__file__).parent)
    assert "time limit" in done.stderr
    assert "GG201" in done.stdout and "No findings" not in done.stdout
    assert done.returncode == 2
