"""`from unetlib import get_act, get_norm2d` (re-exported by star imports from unetlib/util/helper.py), called three
builder calls deep in `__init__`, past the walk's call limit: a helper of another file that picks a module by the
name it is given (`name.lower()`, one branch per name, `raise` otherwise) calls nothing of the project, so it is
followed there too, and the default names build `nn.ReLU(inplace=True)` and `nn.InstanceNorm2d`. The in-place
Dropout2d after the ReLU is then found; with the dropout out of place it is quiet (synthtorch's U-Net, realbugs9
K02 in its repository). Checked with the workspace and under torch."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "activation_by_name"


@pytest.mark.parametrize("name", ["main.py", "main_safe.py"])
def test_a_helper_elsewhere_that_picks_a_module_by_name_is_followed_deep(name) -> None:
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


def test_a_helper_elsewhere_that_calls_project_code_is_not_followed_deep(tmp_path) -> None:
    """The same helper, but one branch calls a function of the project: past the call limit it is not walked
    (it is no leaf), so the activation stays unknown and nothing is reported."""
    for path in WORKSPACE.rglob("*.py"):
        target = tmp_path / path.relative_to(WORKSPACE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
    helper = tmp_path / "unetlib" / "util" / "helper.py"
    helper.write_text(helper.read_text().replace("act = nn.Sigmoid()", "act = make_sigmoid()") +
                      "\n\ndef make_sigmoid():\n    return nn.Sigmoid()\n")
    program = tmp_path / "main.py"
    result = analyze(program.read_text(), str(program), Config(), project=Project(str(tmp_path), jedi_budget=10.0))
    assert result.error is None
    assert result.findings == []
