"""Resolutions kept from one analysis to the next (gradguard/shared_answers.py): the definition an import of another
file names is found once per version of the files the search read, and each analysis still consults those files
itself. a.py and b.py call `run` of pkg/model.py, which calls `scale_` of pkg/helpers.py: the search for `scale_`
from model.py is the same for both."""

from __future__ import annotations

import os

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

PROGRAM = """import torch

from pkg import run

x = torch.randn(4, requires_grad=True)
y = torch.sigmoid(x)
run(y)
y.sum().backward()
"""


def workspace(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from .model import run\n")
    (tmp_path / "pkg" / "model.py").write_text("from .helpers import scale_\n\n\ndef run(t):\n    scale_(t, 2.0)\n")
    (tmp_path / "pkg" / "helpers.py").write_text("def scale_(t, k):\n    t.mul_(k)\n")
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(PROGRAM)
    return Project(str(tmp_path), jedi_budget=10.0)


def check(project, path):
    return analyze(path.read_text(), str(path), Config(), project=project)


def helpers_line(result) -> int:
    [finding] = result.findings
    assert finding.code == "GG201"
    return next(r.span.line for r in finding.related if r.path and r.path.endswith("helpers.py"))


def test_a_second_analysis_reuses_the_resolution_and_consults_the_same_files(tmp_path) -> None:
    project = workspace(tmp_path)
    first = check(project, tmp_path / "a.py")
    reused = project.shared.stats["reused"]
    second = check(project, tmp_path / "b.py")
    assert project.shared.stats["reused"] > reused  # b.py's `scale_` was not searched for again
    assert helpers_line(first) == helpers_line(second) == 2
    model, helpers = (os.path.realpath(tmp_path / "pkg" / n) for n in ("model.py", "helpers.py"))
    assert {model, helpers} <= set(second.consulted) and second.consulted == first.consulted  # the result cache's keys
    assert second.dependencies == first.dependencies == [helpers, model]


def test_a_new_version_of_the_definitions_file_is_searched_again(tmp_path) -> None:
    """An editor buffer moves the helper down (no invalidate): the next analysis follows the new version's node."""
    project = workspace(tmp_path)
    assert helpers_line(check(project, tmp_path / "a.py")) == 2
    project.set_text(str(tmp_path / "pkg" / "helpers.py"), "\n\n\ndef scale_(t, k):\n    t.mul_(k)\n")
    assert helpers_line(check(project, tmp_path / "b.py")) == 5


def test_a_new_version_of_a_file_the_search_went_through_is_searched_again(tmp_path) -> None:
    """model.py imports `scale_` from the package pkg/ops, whose `__init__.py` re-exports it; that `__init__.py` (a
    buffer) now takes it from another module of the package, whose helper copies first. The import in model.py
    reads the same: only the file the search went through tells."""
    project = workspace(tmp_path)
    (tmp_path / "pkg" / "ops").mkdir()
    (tmp_path / "pkg" / "ops" / "__init__.py").write_text("from .impl import scale_\n")
    (tmp_path / "pkg" / "ops" / "impl.py").write_text("def scale_(t, k):\n    t.mul_(k)\n")
    (tmp_path / "pkg" / "ops" / "safe.py").write_text("def scale_(t, k):\n    return t * k\n")
    (tmp_path / "pkg" / "model.py").write_text("from .ops import scale_\n\n\ndef run(t):\n    scale_(t, 2.0)\n")
    first = check(project, tmp_path / "a.py")
    assert [f.code for f in first.findings] == ["GG201"]
    project.set_text(str(tmp_path / "pkg" / "ops" / "__init__.py"), "from .safe import scale_\n")
    second = check(project, tmp_path / "b.py")
    assert second.findings == []
    assert os.path.realpath(tmp_path / "pkg" / "ops" / "safe.py") in second.dependencies
