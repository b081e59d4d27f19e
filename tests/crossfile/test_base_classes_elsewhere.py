"""A `@dataclass` whose base class (another workspace file) has an `__init__`: the dataclass's generated `__init__`
sets its fields, so following the base class must not put the base's `__init__` in its place (transformers'
`@dataclass class BaseModelOutput(ModelOutput)`). Checked with the workspace and under torch."""

from __future__ import annotations

from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "base_class_elsewhere"
PROGRAM = WORKSPACE / "dataclass_output.py"


def test_a_dataclass_field_is_what_its_generated_init_set() -> None:
    want, raises = expected(PROGRAM.read_text())
    result = analyze(PROGRAM.read_text(), str(PROGRAM), Config(), project=Project(str(WORKSPACE), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(PROGRAM)}])["p"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got
