"""Code for export and deployment, by the name of its file, folder or class (eval_callers.EXPORT_PATH/CLASS).

fixtures/export_wrappers/ holds what a detection repository ships for export: wrappers.py's `ExportNMS` multiplies
the class scores of the detector's sigmoid output by the objectness in place (`scores *= conf`), and
deploy/normalize.py's `Normalize` scales an image in place. train.py trains the detector alone and then runs the
image through `Normalize`, the detector and `ExportNMS` without a backward(): torch raises nothing. Alone, each
forward is the training path, its input a previous layer's output: warnings. In the workspace they depend on
whether the code runs on the training path, which the names say it does not: information (strict mode only). The
same classes under plain names in a plain folder keep the warnings, and a backward() through `ExportNMS`'s result
raises: the sigmoid saved the output that `scores *= conf` changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crossfile_support import check, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "export_wrappers"
CHANGED = {"wrappers.py": {13}, "deploy/normalize.py": {13, 14}}


def warnings(result) -> set:
    return {f.span.line for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)}


def test_alone_the_classes_warn_on_the_training_path() -> None:
    for rel, lines in CHANGED.items():
        path = WORKSPACE / rel
        assert warnings(analyze(path.read_text(), str(path), Config())) == lines, rel


def test_in_the_workspace_export_code_leaves_information() -> None:
    for rel, lines in CHANGED.items():
        assert warnings(check(WORKSPACE, rel)) == set(), rel
        kept = [f for f in check(WORKSPACE, rel, strict=True).findings if f.code == "GG202"]
        assert {f.span.line for f in kept} == lines, rel
        assert all(f.severity is Severity.INFORMATION and "for export or prediction" in f.depends_on
                   for f in kept), [f.depends_on for f in kept]


def test_torch_runs_the_workspace_clean() -> None:
    got = run_under_torch([{"id": "t", "workspace": str(WORKSPACE), "file": str(WORKSPACE / "train.py")}])["t"]
    assert not got["raised"], got


def test_plain_names_keep_the_warnings_and_a_backward_through_the_wrapper_raises(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    (workspace / "deploy").rename(workspace / "prep")
    for rel in ("wrappers.py", "train.py"):
        path = workspace / rel
        path.write_text(path.read_text().replace("ExportNMS", "ScoreNMS").replace("deploy.", "prep."))
    assert warnings(check(workspace, "wrappers.py")) == {13}
    assert warnings(check(workspace, "prep/normalize.py")) == {13, 14}
    train = workspace / "train.py"
    train.write_text(train.read_text().replace("print(boxes.shape, labels.tolist())", "boxes.sum().backward()"))
    got = run_under_torch([{"id": "t", "workspace": str(workspace), "file": str(train)}])["t"]
    assert got["raised"] and "modified by an inplace operation" in got["message"], got
