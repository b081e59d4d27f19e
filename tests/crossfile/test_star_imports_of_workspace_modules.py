"""`from segblocks.utils import *` then `ConvBNReLU(channels)`: a name the file does not bind is looked up in the
workspace modules it star-imports, as `from segblocks.utils import ConvBNReLU` would be (pytorch-semseg's models
take their blocks this way; realbugs8 H10 in its repository). The in-place Dropout2d after the block's in-place
ReLU is then found; with the dropout out of place it is quiet. Checked with the workspace and under torch."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "star_import_of_blocks"


@pytest.mark.parametrize("name", ["main.py", "main_safe.py"])
def test_a_block_from_a_star_import_is_followed(name) -> None:
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
