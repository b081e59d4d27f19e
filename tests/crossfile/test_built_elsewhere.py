"""A module class of one file built with settings by another workspace file (builders.py).

fixtures/built_with_settings/blocks.py sums stacks of layers with `output += feats`, an activation after each layer
when one is given (`activation=None` by default). Built with its defaults, nothing saves `output`; main.py builds it
with `activation=nn.ReLU()`, whose backward keeps its output, and torch raises at the backward (test_crossfile.py
runs main.py under torch). The file alone shows only the defaults; in its workspace, the finding is an error in
blocks.py, main.py's construction as related. A builder that leaves the defaults gives nothing, as torch agrees.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "built_with_settings"


def check(workspace: Path, rel: str):
    path = workspace / rel
    return analyze(path.read_text(), str(path), Config(), project=Project(str(workspace), jedi_budget=10.0))


def test_the_settings_another_file_builds_the_class_with_decide_the_finding() -> None:
    blocks = WORKSPACE / "blocks.py"
    want, _ = expected(blocks.read_text())
    result = check(WORKSPACE, "blocks.py")
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    builder = finding.related[0]
    assert (builder.path, builder.span.line) == (os.path.realpath(WORKSPACE / "main.py"), 7)
    assert builder.message.startswith("`StackedConv` is built here with `activation=nn.ReLU()`")


def test_without_the_workspace_the_defaults_show_nothing() -> None:
    blocks = WORKSPACE / "blocks.py"
    assert analyze(blocks.read_text(), str(blocks), Config()).findings == []


def test_a_builder_that_keeps_the_defaults_gives_nothing(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    main = workspace / "main.py"
    text = main.read_text().replace("StackedConv(4, stacks=2, activation=nn.ReLU())", "StackedConv(4, stacks=2)")
    main.write_text(text.replace("  # expect GG201", "").split("  # torch raises")[0] + "\n")
    assert check(workspace, "blocks.py").findings == []
    got = run_under_torch([{"id": "m", "workspace": str(workspace), "file": str(main)}])["m"]
    assert not got["raised"], got
