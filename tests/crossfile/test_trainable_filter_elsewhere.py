"""A base class in another workspace file builds its encoder's optimizer from
`filter(lambda p: p.requires_grad, Q.parameters())` and steps it in a helper; the subclass calls the helper between
the encoder's forward and the reconstruction backward() (3FabRec's update_encoding). The filter keeps what a step
changes, so the subclass's file proves the step breaks the pending backward(). Checked under torch."""

from __future__ import annotations

import os
from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "trainable_filter_elsewhere"
PROGRAM = WORKSPACE / "train.py"


def test_a_step_of_the_trainable_parameters_in_a_base_class_elsewhere() -> None:
    want, raises = expected(PROGRAM.read_text())
    result = analyze(PROGRAM.read_text(), str(PROGRAM), Config(), project=Project(str(WORKSPACE), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    (finding,) = result.findings
    assert any((r.path or "").endswith("base.py") and r.span.line == 23 for r in finding.related), finding.related
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(PROGRAM)}])["p"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


def test_the_base_class_file_reports_it_on_its_step() -> None:
    """The base class's file alone shows no forward before the step; its subclass in train.py does (users.py):
    the finding that file's walk proves is reported on the step's line, with the subclass's call as related."""
    base = WORKSPACE / "base.py"
    want, _ = expected(base.read_text())
    result = analyze(base.read_text(), str(base), Config(), project=Project(str(WORKSPACE), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    (finding,) = result.findings
    assert finding.depends_on is None and finding.severity.value in ("error", "warning")
    user = finding.related[0]
    assert (user.path, user.span.line) == (os.path.realpath(PROGRAM), next(iter(expected(PROGRAM.read_text())[0]))[0])
    assert user.message.startswith("`BaseTraining` is subclassed and its method called here (train.py)")
    assert analyze(base.read_text(), str(base), Config()).findings == []
