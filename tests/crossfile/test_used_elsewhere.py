"""A recipe folder laid out as icefall's: an `__init__.py`, scripts run from the folder (train.py), modules that import
their siblings by plain name (`from scaling import RandProjDrop`). Python finds those siblings only because the
script's folder is on sys.path; the project's import resolution (which, for a package's module, looks above the
package) finds them last, for names that are not the standard library's. layer.py calls one RandProjDrop on both
residual branches: the second call rewrites the `U` the first call's matmul saved, and torch raises at the backward.
"""

from __future__ import annotations

from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "shared_stateful_module"
RECIPE = WORKSPACE / "recipe"


def check(workspace: Path, rel: str):
    path = workspace / rel
    return analyze(path.read_text(), str(path), Config(), project=Project(str(workspace), jedi_budget=10.0))


def test_a_sibling_imported_by_plain_name_from_a_script_folder_is_followed() -> None:
    for rel in ("recipe/layer.py", "recipe/train.py"):
        want, _ = expected((WORKSPACE / rel).read_text())
        assert {(f.span.line, f.code) for f in check(WORKSPACE, rel).findings} == want, rel


def test_torch_raises_where_the_markers_say() -> None:
    train = RECIPE / "train.py"
    _, raises = expected(train.read_text())
    got = run_under_torch([{"id": "t", "workspace": str(RECIPE), "file": str(train)}])["t"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got
