"""Helpers and module classes of other workspace files: followed with the caller, judged by torch.

Every fixture under fixtures/<case>/ is a small workspace; each `main*.py` in it is a program whose markers say
what gradguard must report (`# expect GG201`) and what torch does (`# torch raises: ...`, or a clean run). The
programs run under torch with the workspace first on sys.path; gradguard analyses them with a Project of the
workspace (and, to show the other files are what makes the difference, without one).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Related
from gradguard.project import Project, find_root

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROGRAMS = sorted(p for p in FIXTURES.glob("*/main*.py"))
IDS = [f"{p.parent.name}/{p.name}" for p in PROGRAMS]


def site_packages(workspace: Path) -> list[str]:
    return [str(p) for p in workspace.rglob("site-packages") if p.is_dir()]


@pytest.fixture(scope="module")
def torch_results() -> dict:
    jobs = [{"id": str(p), "workspace": str(p.parent), "file": str(p), "paths": site_packages(p.parent)}
            for p in PROGRAMS]
    return run_under_torch(jobs)


def check(path: Path, project: Project | None = None, **kwargs):
    project = project if project is not None else Project(str(path.parent), jedi_budget=10.0, **kwargs)
    return analyze(path.read_text(), str(path), Config(), project=project)


@pytest.mark.parametrize("path", PROGRAMS, ids=IDS)
def test_gradguard_reports_what_the_markers_say(path: Path) -> None:
    want, _ = expected(path.read_text())
    result = check(path)
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want


@pytest.mark.parametrize("path", PROGRAMS, ids=IDS)
def test_torch_does_what_the_markers_say(path: Path, torch_results: dict) -> None:
    _, raises = expected(path.read_text())
    got = torch_results[str(path)]
    if raises:
        (line, text), = raises.items()
        assert got["raised"], f"torch ran clean; the markers say it raises at line {line}"
        assert got["line"] == line and text in got["message"], got
    else:
        assert not got["raised"], got


WITH_FINDINGS = [p for p in PROGRAMS if expected(p.read_text())[0]]


@pytest.mark.parametrize("path", WITH_FINDINGS, ids=[f"{p.parent.name}/{p.name}" for p in WITH_FINDINGS])
def test_without_the_other_files_none_of_it_is_found(path: Path) -> None:
    """Each expected finding needs the other file: the program alone (no project) reports none of them."""
    want, _ = expected(path.read_text())
    alone = analyze(path.read_text(), str(path), Config(strict=True))
    assert not want & {(f.span.line, f.code) for f in alone.findings}


def test_the_call_is_reported_with_the_helpers_line_as_related_information() -> None:
    main = FIXTURES / "mutating_helper" / "main.py"
    [finding] = check(main).findings
    helpers = os.path.realpath(FIXTURES / "mutating_helper" / "helpers.py")
    assert (finding.code, finding.span.line, finding.span.column) == ("GG201", 7, 1)
    assert Related(finding.related[0].span, "`scale_` does it here", helpers) == finding.related[0]
    assert (finding.related[0].span.line, finding.related[0].span.column) == (5, 5)  # `t.mul_(k)`
    assert [r.path for r in finding.related[1:]] == [None, None]  # sigmoid and backward(): this file


def test_a_helper_whose_result_an_op_saved_points_at_that_op() -> None:
    main = FIXTURES / "saving_helper" / "main.py"
    [finding] = check(main).findings
    save = next(r for r in finding.related if "saves" in r.message)
    assert save.path == os.path.realpath(FIXTURES / "saving_helper" / "ops.py") and save.span.line == 5
    assert finding.span.line == 7  # `g += 1`, in this file


def test_a_module_class_of_another_file_ending_in_an_inplace_relu() -> None:
    [finding] = check(FIXTURES / "module_inplace_input" / "main.py").findings
    blocks = os.path.realpath(FIXTURES / "module_inplace_input" / "blocks.py")
    assert finding.span.line == 8
    messages = {(r.path, r.span.line): r.message for r in finding.related}
    assert messages[(blocks, 12)] == "`forward` does it here"
    assert "inplace=True" in messages[(blocks, 9)]


def test_what_happens_inside_another_file_is_reported_here_never_there() -> None:
    """The bug is all in blocks.py; from main.py it is reported at the call, with blocks.py as related
    information. The one fix that edits code there is `inplace=False` where the module is built: its edit names
    blocks.py (test_crossfile_fix.py applies it)."""
    main = FIXTURES / "module_internal" / "main.py"
    [finding] = check(main).findings
    assert finding.span.line == 7
    assert all(r.path is None or r.path.endswith("blocks.py") for r in finding.related)
    assert [f.title for f in finding.fixes] == ["Set `inplace=False` where the module is built (blocks.py, line 11)",
                                                "Suppress GG201 with # noqa"]
    [edit] = finding.fixes[0].edits
    assert edit.path == os.path.realpath(FIXTURES / "module_internal" / "blocks.py") and edit.new_text == "False"
    assert all(e.path is None for e in finding.fixes[1].edits)
    alone = analyze((FIXTURES / "module_internal" / "blocks.py").read_text(),
                    str(FIXTURES / "module_internal" / "blocks.py"), Config(strict=True))
    assert [(f.code, f.span.line) for f in alone.findings] == [("GG201", 15)]  # blocks.py reports its own line


def test_a_chain_through_relative_imports_names_each_call() -> None:
    [finding] = check(FIXTURES / "relative_chain" / "main.py").findings
    pkg = os.path.realpath(FIXTURES / "relative_chain" / "pkg")
    where = [(os.path.relpath(r.path, pkg) if r.path else None, r.span.line, r.message) for r in finding.related]
    assert ("ops.py", 2, "`bump_` does it here") in where
    assert ("model.py", 8, "through the call of `bump_` here") in where


def test_plain_import_chains_need_no_jedi_and_the_rest_is_left_to_it() -> None:
    for case in ("mutating_helper", "star_reexport", "relative_chain"):  # star re-exports are read from the files
        plain = Project(str(FIXTURES / case), jedi_budget=10.0)
        assert check(FIXTURES / case / "main.py", plain).findings
        assert plain.stats["jedi_calls"] == 0, case
    # try/except import: the try's binding, or the except's when the try's module is not there (not even compiled)
    project = Project(str(FIXTURES / "fallback_import"), jedi_budget=10.0)
    assert [f.code for f in check(FIXTURES / "fallback_import" / "main.py", project).findings] == ["GG201"]
    assert project.stats["jedi_calls"] == 0


def test_a_lazy_package_is_read_through_its_type_checking_imports(tmp_path) -> None:
    """transformers-style packages bind their public names under `if TYPE_CHECKING:` and provide them at run time
    through a lazy module: the TYPE_CHECKING imports are followed like plain ones, without jedi."""
    pkg = tmp_path / "lazy"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "import sys\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .ops import scale_ as scale_\n"
        "else:\n    sys.modules[__name__] = object()\n")
    (pkg / "ops.py").write_text("def scale_(t, k):\n    t.mul_(k)\n    return t\n")
    main = tmp_path / "main.py"
    main.write_text((FIXTURES / "mutating_helper" / "main.py").read_text().replace(
        "from helpers import scale_", "from lazy import scale_"))
    project = Project(str(tmp_path), jedi_budget=10.0)
    assert [(f.code, f.span.line) for f in check(main, project).findings] == [("GG201", 7)]
    assert project.stats["jedi_calls"] == 0


def if_else_workspace(root: Path) -> Path:
    """A package whose name is bound in if/else: which one Python binds is jedi's to decide. Returns main.py."""
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("import sys\nif sys.platform == 'never':\n    from ._other import normalize_\n"
                                     "else:\n    from ._slow import normalize_\n")
    (pkg / "_slow.py").write_text((FIXTURES / "fallback_import" / "pkg" / "_slow.py").read_text())
    (root / "main.py").write_text((FIXTURES / "fallback_import" / "main.py").read_text())
    return root / "main.py"


def test_a_name_bound_in_if_else_is_left_to_jedi(tmp_path) -> None:
    main = if_else_workspace(tmp_path)
    project = Project(str(tmp_path), jedi_budget=10.0)
    assert [f.code for f in check(main, project).findings] == ["GG201"]
    assert project.stats["jedi_calls"] == 1


def test_a_fallback_import_whose_compiled_module_is_there_is_not_followed(tmp_path) -> None:
    """`try: from ._fast import normalize_` with _fast built as an extension: at run time the compiled one is
    used, which no one can read; the Python fallback in the except clause is not what runs."""
    import shutil

    shutil.copytree(FIXTURES / "fallback_import", tmp_path / "ws")
    (tmp_path / "ws" / "pkg" / "_fast.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    project = Project(str(tmp_path / "ws"), jedi_budget=10.0)
    assert check(tmp_path / "ws" / "main.py", project).findings == []


def test_torch_and_installed_packages_are_never_analysed_nor_asked_about() -> None:
    project = Project(str(FIXTURES / "third_party"), jedi_budget=10.0)
    result = check(FIXTURES / "third_party" / "main.py", project)
    assert result.findings == [] and result.dependencies == []
    assert project.stats["jedi_calls"] == 0 and project.stats["parsed"] == 0
    assert not project.contains(str(next((FIXTURES / "third_party").rglob("extlib/__init__.py"))))


def test_recursion_between_files_ends() -> None:
    started = time.monotonic()
    result = check(FIXTURES / "recursion" / "main.py")
    assert time.monotonic() - started < 5
    assert [f.code for f in result.findings] == ["GG201"]


def test_no_time_for_jedi_means_no_finding_never_a_wrong_one(tmp_path) -> None:
    main = if_else_workspace(tmp_path)
    project = Project(str(tmp_path), jedi_budget=0.0)
    assert check(main, project).findings == []


JEDI_DELAY_S = 3.0


def test_a_slow_answer_is_skipped_then_used_once_it_came(tmp_path) -> None:
    calls = []

    class Slow(Project):
        def _goto_now(self, key, caller):
            time.sleep(JEDI_DELAY_S)
            return super()._goto_now(key, caller)

    main = if_else_workspace(tmp_path)
    project = Slow(str(tmp_path), jedi_budget=0.1, listener=lambda: calls.append(1))
    started = time.monotonic()
    assert check(main, project).findings == []  # it did not wait for jedi
    # jedi's answer comes JEDI_DELAY_S late; the analysis took a fraction of that, however busy the machine
    assert time.monotonic() - started < JEDI_DELAY_S
    deadline = time.monotonic() + JEDI_DELAY_S + 10
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    assert calls == [1]  # the listener heard the late answer (the server analyses again then)
    assert [f.code for f in check(main, project).findings] == ["GG201"]


def test_a_package_imports_itself_absolutely_from_a_folder_of_several_projects(tmp_path) -> None:
    """A workspace holding projects side by side (`libs/gradlib/gradlib/...`): `from gradlib.ops import scale_`
    inside the package is found the way Python finds it with the project's folder on sys.path, without jedi."""
    pkg = tmp_path / "libs" / "gradlib" / "gradlib"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "ops.py").write_text("def scale_(t, k):\n    t.mul_(k)\n    return t\n")
    main = pkg / "train.py"
    main.write_text((FIXTURES / "mutating_helper" / "main.py").read_text().replace(
        "from helpers import scale_", "from gradlib.ops import scale_"))
    project = Project(str(tmp_path), jedi_budget=10.0)
    result = check(main, project)
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", 7)]
    assert result.dependencies == [os.path.realpath(pkg / "ops.py")]
    assert project.stats["jedi_calls"] == 0
    # a file outside any package (a script next to the projects) does not see into them that way
    script = tmp_path / "libs" / "run.py"
    script.write_text(main.read_text())
    assert check(script, project).findings == []


def test_imports_are_looked_up_where_python_looks_and_jedi_is_not_asked_in_vain(tmp_path) -> None:
    """In a package, `import logging` is the standard library's, not the sibling logging.py; an import of a module
    missing from its package, or a name the package re-exports from an installed one, is nothing to follow and
    needs no jedi."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    helper = "def scale_(t, k):\n    t.mul_(k)\n    return t\n"
    (pkg / "logging.py").write_text(helper)
    (pkg / "reexport.py").write_text("from numpy import scale_\n")
    program = (FIXTURES / "mutating_helper" / "main.py").read_text()
    (tmp_path / "nsfolder").mkdir()  # no __init__.py: a namespace package, which has only submodules
    for i, imports in enumerate(["import logging\nscale_ = logging.scale_", "from .missing import scale_",
                                 "from pkg.missing.deeper import scale_", "from .reexport import scale_",
                                 "from nsfolder import scale_"]):
        main = pkg / f"main{i}.py"
        main.write_text(program.replace("from helpers import scale_", imports))
        project = Project(str(tmp_path), jedi_budget=10.0)
        result = check(main, project)
        assert result.findings == [] and result.dependencies == [], imports
        assert project.stats["jedi_calls"] == 0, imports
    script = tmp_path / "script.py"  # a script's own folder comes first: there, logging.py is the sibling
    script.write_text(program.replace("from helpers import scale_", "import logging\nscale_ = logging.scale_"))
    (tmp_path / "logging.py").write_text(helper)
    assert [f.code for f in check(script, Project(str(tmp_path), jedi_budget=10.0)).findings] == ["GG201"]


def test_parses_are_cached_per_content_and_invalidated(tmp_path) -> None:
    (tmp_path / "helpers.py").write_text("def scale_(t, k):\n    t.mul_(k)\n")
    main = tmp_path / "main.py"
    main.write_text((FIXTURES / "mutating_helper" / "main.py").read_text())
    project = Project(str(tmp_path), jedi_budget=10.0)
    first = check(main, project)
    assert [f.code for f in first.findings] == ["GG201"]
    assert first.dependencies == [os.path.realpath(tmp_path / "helpers.py")]
    check(main, project)
    assert project.stats["parsed"] == 1
    # an editor buffer stands for the file...
    project.set_text(str(tmp_path / "helpers.py"), "def scale_(t, k):\n    t = t.clone()\n    t.mul_(k)\n")
    assert check(main, project).findings == []
    project.forget_text(str(tmp_path / "helpers.py"))
    assert [f.code for f in check(main, project).findings] == ["GG201"]
    # ...and a change on disk is seen (new mtime/size), or after invalidate()
    (tmp_path / "helpers.py").write_text("def scale_(t, k):\n    return t * k\n")
    project.invalidate(str(tmp_path / "helpers.py"))
    assert check(main, project).findings == []


def test_a_half_typed_buffer_is_not_followed_nor_asked_of_jedi(tmp_path) -> None:
    """The buffer stands for the file: while it does not parse nothing in it is followed, and jedi (which would read
    the file on disk, then be dropped as not parsing) is not asked: its first answer costs seconds in the editor."""
    (tmp_path / "helpers.py").write_text("def scale_(t, k):\n    t.mul_(k)\n")
    main = tmp_path / "main.py"
    main.write_text((FIXTURES / "mutating_helper" / "main.py").read_text())
    project = Project(str(tmp_path), jedi_budget=10.0)
    project.set_text(str(tmp_path / "helpers.py"), "def scale_(t, k):\n    t.mul_(\n")
    assert check(main, project).findings == []
    assert project.stats["jedi_calls"] == 0
    project.set_text(str(tmp_path / "helpers.py"), "def scale_(t, k):\n    t.mul_(k)\n")
    assert [f.code for f in check(main, project).findings] == ["GG201"]


def test_project_root_is_the_nearest_folder_with_a_marker(tmp_path) -> None:
    (tmp_path / "repo" / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "repo" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "repo" / "src" / "pkg" / "a.py").write_text("")
    assert find_root([str(tmp_path / "repo" / "src" / "pkg" / "a.py")]) == str(tmp_path / "repo")
    (tmp_path / "loose" / "x").mkdir(parents=True)
    (tmp_path / "loose" / "y").mkdir()
    common = find_root([str(tmp_path / "loose" / "x"), str(tmp_path / "loose" / "y")])
    assert common in (str(tmp_path / "loose"),) or (Path(common) / ".git").exists() or \
        (Path(common) / "pyproject.toml").exists()


def test_a_class_method_walked_alone_follows_the_files_relative_imports() -> None:
    """pkg/unit.py on its own (no driver): Unit.forward is walked with a `self` built once per class; its
    identity_conv comes from `from .common import conv1x1_block`, which that build must resolve from unit.py's path
    (main.py of the fixture runs the unit under torch, which raises)."""
    workspace = FIXTURES / "relative_import_in_class"
    unit = workspace / "pkg" / "unit.py"
    result = check(unit, Project(str(workspace), jedi_budget=10.0))
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", 18)]
    assert os.path.realpath(workspace / "pkg" / "common.py") in {r.path for r in result.findings[0].related}


def test_a_loss_keeps_its_training_path_through_a_helper_that_copies_its_inputs() -> None:
    """gatescore/loss.py on its own: GateLoss.forward's arguments are on the training path (they require grad) and
    stay so through `to_4d(input_tensors=(prediction, target))` of checks.py, which returns a copy of each. Its
    `isinstance(input_tensors, torch.Tensor)` is False for the tuple: taken as maybe true, the walk joined the tuple
    with a tuple of it, lost its items, and the finding fell to information (main.py runs it under torch)."""
    workspace = FIXTURES / "validated_inputs"
    result = check(workspace / "gatescore" / "loss.py", Project(str(workspace), jedi_budget=10.0))
    assert [(f.code, f.span.line, f.severity.name) for f in result.findings] == [("GG201", 9, "WARNING")]
