"""`if stage != sl.Stage.TRAIN:` where every call passes `sl.Stage.TRAIN`, an enum member of another workspace
file (speechbrain's recipes compare `stage` with `sb.Stage.TRAIN` in `compute_objectives`): one imported object
compared with itself is decided, so the validation branch, which reads the generator's output, is not taken by the
discriminator's losses and one backward() per step frees nothing a later one needs. A call passing
`sl.Stage.VALID` takes the branch, and the second step's backward() raises: two different names stay undecided, and
the finding holds. Checked with the workspace and under torch."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "stage_enum_elsewhere"


@pytest.mark.parametrize("name", ["train.py", "train_valid.py"])
def test_an_imported_enum_member_compared_with_itself_decides_the_branch(name) -> None:
    program = WORKSPACE / name
    want, raises = expected(program.read_text())
    result = analyze(program.read_text(), str(program), Config(), project=Project(str(WORKSPACE), jedi_budget=10.0))
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(program)}])["p"]
    if raises:
        (line, text), = raises.items()
        assert got["raised"] and got["line"] == line and text in got["message"], got
    else:
        assert not got["raised"], got
