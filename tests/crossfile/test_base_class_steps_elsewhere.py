"""A base class in another workspace file steps an encoder's optimizer in a helper; the subclass calls the helper
between the encoder's forward and the reconstruction backward() (3FabRec's update_encoding, mine13 Y01). The
subclass's file proves the step breaks the pending backward(), and the base class's file reports it on its step
(users.py). Two workspaces, each checked under torch:

- trainable_filter_elsewhere: the optimizer is built from `filter(lambda p: p.requires_grad, Q.parameters())`,
  which keeps what a step changes;
- model_built_past_call_depth: the subclass's own `__init__` calls the base class's, which builds the network
  through the subclass's `_get_network` (a third file) past the walk's call depth; `self.saae` is unknown, but
  `self.saae.Q.parameters()` went to an optimizer, so `self.saae.Q(x)` is that model's forward, which keeps its
  parameters for backward (as `self.Q(x)` would)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# workspace -> the line of base.py where the forward that the step breaks saves the parameters
CASES = {"trainable_filter_elsewhere": 23, "model_built_past_call_depth": 18}


@pytest.mark.parametrize("workspace, saved_at", CASES.items(), ids=list(CASES))
def test_a_base_class_step_elsewhere_breaks_the_subclass_backward(workspace: str, saved_at: int) -> None:
    program = FIXTURES / workspace / "train.py"
    want, raises = expected(program.read_text())
    result = analyze(program.read_text(), str(program), Config(),
                     project=Project(str(FIXTURES / workspace), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    (finding,) = result.findings
    assert any((r.path or "").endswith("base.py") and r.span.line == saved_at for r in finding.related), \
        finding.related
    got = run_under_torch([{"id": "p", "workspace": str(FIXTURES / workspace), "file": str(program)}])["p"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


@pytest.mark.parametrize("workspace", CASES, ids=list(CASES))
def test_the_base_class_file_reports_it_on_its_step(workspace: str) -> None:
    """The base class's file alone shows no forward before the step; its subclass in train.py does (users.py):
    the finding that file's walk proves is reported on the step's line, with the subclass's call as related."""
    program, base = FIXTURES / workspace / "train.py", FIXTURES / workspace / "base.py"
    want, _ = expected(base.read_text())
    result = analyze(base.read_text(), str(base), Config(),
                     project=Project(str(FIXTURES / workspace), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    (finding,) = result.findings
    assert finding.depends_on is None and finding.severity.value in ("error", "warning")
    user = finding.related[0]
    assert (user.path, user.span.line) == (os.path.realpath(program), next(iter(expected(program.read_text())[0]))[0])
    assert user.message.startswith("`BaseTraining` is subclassed and its method called here (train.py)")
    assert analyze(base.read_text(), str(base), Config()).findings == []
