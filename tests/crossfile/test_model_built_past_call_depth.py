"""The subclass's own `__init__` calls the base class's (another file), which builds the network through the
subclass's `_get_network` (a third file) past the walk's call depth: `self.saae` is unknown, but
`self.saae.Q.parameters()` went to an optimizer, so `self.saae.Q(x)` is that model's forward, which keeps its
parameters for backward (as `self.Q(x)` would be). The base class's step between it and the backward() breaks it
(3FabRec's AAEUnsupervisedTraining, mine13 Y01). Checked under torch."""

from __future__ import annotations

import os
from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "model_built_past_call_depth"
PROGRAM = WORKSPACE / "train.py"


def test_a_model_held_by_an_unknown_attribute_whose_parameters_an_optimizer_steps() -> None:
    want, raises = expected(PROGRAM.read_text())
    result = analyze(PROGRAM.read_text(), str(PROGRAM), Config(), project=Project(str(WORKSPACE), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    (finding,) = result.findings
    assert any((r.path or "").endswith("base.py") and r.span.line == 18 for r in finding.related), finding.related
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
