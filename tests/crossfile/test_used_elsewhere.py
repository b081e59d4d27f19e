"""A module class that changes its own state when called, used twice by a module of another file (users.py).

fixtures/shared_stateful_module/recipe/ is laid out as icefall's recipes are: a folder with an `__init__.py` whose
scripts run from it (train.py) and whose modules import their siblings by plain name (`from scaling import
RandProjDrop`). scaling.py's RandProjDrop rotates its buffer `U` in place at every call; layer.py's Layer calls one
instance on both residual branches, so the second call rewrites the `U` the first call's matmul saved and torch
raises at the backward (train.py). scaling.py alone is called once at most: nothing. In its workspace, the finding
is an error on scaling.py's line, with layer.py's second call as related; layer.py and train.py report it at their
own calls. A layer with one RandProjDrop per branch gives nothing, as torch agrees.
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

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "shared_stateful_module"
RECIPE = WORKSPACE / "recipe"


def check(workspace: Path, rel: str):
    path = workspace / rel
    return analyze(path.read_text(), str(path), Config(), project=Project(str(workspace), jedi_budget=10.0))


def test_the_use_in_another_file_decides_the_finding_on_the_class_line() -> None:
    scaling = RECIPE / "scaling.py"
    want, _ = expected(scaling.read_text())
    result = check(WORKSPACE, "recipe/scaling.py")
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    user = finding.related[0]
    assert (user.path, user.span.line) == (os.path.realpath(RECIPE / "layer.py"), 16)
    assert user.message == "`RandProjDrop` is used here (layer.py): backward fails for this use"
    assert all(r.path in (None, os.path.realpath(RECIPE / "layer.py")) for r in finding.related)


def test_a_sibling_imported_by_plain_name_from_a_script_folder_is_followed() -> None:
    for rel in ("recipe/layer.py", "recipe/train.py"):
        want, _ = expected((WORKSPACE / rel).read_text())
        assert {(f.span.line, f.code) for f in check(WORKSPACE, rel).findings} == want, rel


def test_without_the_workspace_the_class_shows_nothing() -> None:
    scaling = RECIPE / "scaling.py"
    assert analyze(scaling.read_text(), str(scaling), Config()).findings == []


def test_torch_raises_where_the_markers_say() -> None:
    train = RECIPE / "train.py"
    _, raises = expected(train.read_text())
    got = run_under_torch([{"id": "t", "workspace": str(RECIPE), "file": str(train)}])["t"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


def test_one_instance_per_branch_gives_nothing(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    layer = workspace / "recipe" / "layer.py"
    text = layer.read_text().replace("self.dropout = RandProjDrop(dim)",
                                     "self.dropout = RandProjDrop(dim)\n        self.dropout2 = RandProjDrop(dim)")
    layer.write_text(text.replace("x + self.dropout(self.ff2(x))  # expect GG201", "x + self.dropout2(self.ff2(x))"))
    train = workspace / "recipe" / "train.py"
    train.write_text(train.read_text().replace("  # expect GG201", "").split("  # torch raises")[0] + "\n")
    assert check(workspace, "recipe/scaling.py").findings == []
    assert check(workspace, "recipe/layer.py").findings == []
    got = run_under_torch([{"id": "m", "workspace": str(workspace / "recipe"), "file": str(train)}])["m"]
    assert not got["raised"], got


def test_a_package_folder_without_a_script_does_not_see_its_siblings_by_plain_name(tmp_path: Path) -> None:
    """Imported as a package's module, `from scaling import ...` fails in Python: nothing is followed there."""
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    (workspace / "recipe" / "train.py").unlink()
    assert check(workspace, "recipe/layer.py").findings == []
    assert check(workspace, "recipe/scaling.py").findings == []
