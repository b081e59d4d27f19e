"""Notebooks: code cells in order as one program, findings at (cell, line), fixes written back into cells.

The fixtures' cells carry the markers (`# expect GG201`, `# torch raises: ...`); torch runs the cells in
order (their program, magics blanked) with the notebook's folder on sys.path, as a kernel started there would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_support import FIXTURES, NOTEBOOKS, expected, run_under_torch

from gradguard import notebook
from gradguard.config import Config
from gradguard.project import Project

IDS = [str(p.relative_to(FIXTURES)) for p in NOTEBOOKS]
REPO = Path(__file__).resolve().parents[2]


def program_of(path: Path) -> notebook.Program:
    return notebook.program_of(notebook.read_notebook(path.read_text(encoding="utf-8")))


def cell_markers(path: Path):
    """({(cell, line, code)}, {(cell, line): text}) from the markers in the cells."""
    program = program_of(path)
    want, raises = expected(program.source)
    return ({program.locate(line) + (code,) for line, code in want},
            {program.locate(line): text for line, text in raises.items()})


@pytest.fixture(scope="module")
def torch_results() -> dict:
    return run_under_torch([{"id": str(p), "workspace": str(p.parent), "file": str(p), "code": program_of(p).source}
                            for p in NOTEBOOKS])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_gradguard_reports_the_marked_cells(path: Path) -> None:
    want, _ = cell_markers(path)
    program, result = notebook.analyze_notebook(path.read_text(encoding="utf-8"), str(path), Config(),
                                                Project(str(path.parent), jedi_budget=10.0))
    assert result.error is None
    assert {program.locate(f.span.line) + (f.code,) for f in result.findings} == want


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_running_the_cells_in_order_under_torch_does_what_the_markers_say(path: Path, torch_results) -> None:
    _, raises = cell_markers(path)
    got = torch_results[str(path)]
    if raises:
        ((cell, line), text), = raises.items()
        assert got["raised"], f"torch ran clean; the markers say it raises in cell {cell}, line {line}"
        assert program_of(path).locate(got["line"]) == (cell, line) and text in got["message"], got
    else:
        assert not got["raised"], got


def test_related_locations_name_their_cells() -> None:
    path = FIXTURES / "bad_across_cells.ipynb"
    program, result = notebook.analyze_notebook(path.read_text(), str(path))
    [finding] = result.findings
    places = {program.locate(r.span.line): r.message for r in finding.related}
    assert places == {(3, 2): "`sigmoid` saves its output here", (6, 2): "backward() fails here"}


# -- the program ---------------------------------------------------------------------------------------------

def test_cells_keep_their_lines_and_columns_and_ipython_syntax_is_blanked() -> None:
    program = notebook.combine([
        (1, "import torch\n%matplotlib inline\nx = torch.ones(2)"),
        (2, "files = !ls\nfor i in range(2):\n    !echo $i\n    x = x + i\nx?"),
        (4, "%%bash\necho hi"),
        (5, "%%time\ny = x * 2"),
        (7, "s = '%d items' % 3"),
    ])
    lines = program.source.split("\n")
    assert lines[:3] == ["import torch", "", "x = torch.ones(2)"]
    assert lines[3:8] == ["", "for i in range(2):", "    pass", "    x = x + i", ""]
    assert lines[8:10] == ["", ""]  # a %%bash cell: nothing of it is Python
    assert lines[10:12] == ["", "y = x * 2"]
    assert lines[12] == "s = '%d items' % 3"  # a cell that parses is never touched
    assert program.locate(1) == (1, 1) and program.locate(7) == (2, 4) and program.locate(12) == (5, 2)
    assert program.line_of(7, 1) == 13 and program.skipped == []


def test_a_cell_that_does_not_parse_is_left_out_and_said() -> None:
    program = notebook.combine([(1, "import torch\nx = torch.ones(2, requires_grad=True)"), (2, "def f(:\n    pass"),
                                (3, "x += 1")])
    assert program.source.split("\n")[2:4] == ["", ""]
    assert program.skipped == [(2, "syntax error at line 1: invalid syntax")]
    raw = json.dumps({"cells": [{"cell_type": "code", "source": src} for src in
                                ["import torch\nx = torch.ones(2, requires_grad=True)", "def f(:\n    pass", "x += 1"]],
                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    program, result = notebook.analyze_notebook(raw, "nb.ipynb")
    assert "cell 2 was not analysed (syntax error at line 1" in result.error
    assert [(program.locate(f.span.line), f.code) for f in result.findings] == [((3, 1), "GG101")]


def test_not_a_notebook() -> None:
    with pytest.raises(notebook.NotebookError):
        notebook.read_notebook("{not json")
    with pytest.raises(notebook.NotebookError):
        notebook.read_notebook('{"cells": 3}')
    r_notebook = {"cells": [{"cell_type": "code", "source": "x <- 1"}], "metadata": {"kernelspec": {"language": "R"}}}
    assert notebook.program_of(r_notebook).source == ""


# -- the command line ----------------------------------------------------------------------------------------

def gradguard(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "server"))
    return subprocess.run([sys.executable, "-m", "gradguard", *args], capture_output=True, text=True, cwd=str(cwd),
                          env=env, timeout=120)


def test_cli_text_output_says_cell_and_line() -> None:
    proc = gradguard("check", "bad_across_cells.ipynb", cwd=FIXTURES)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("bad_across_cells.ipynb:cell 5, line 2:1: GG201 [error] `gate` is changed in place")
    assert lines[1] == "    bad_across_cells.ipynb:cell 3, line 2:8: `sigmoid` saves its output here"
    assert lines[2] == "    bad_across_cells.ipynb:cell 6, line 2:1: backward() fails here"


def test_cli_json_has_the_cell() -> None:
    proc = gradguard("check", "--format", "json", "workspace/analysis.ipynb", cwd=FIXTURES)
    [finding] = json.loads(proc.stdout)
    assert (finding["cell"], finding["line"], finding["column"], finding["end_line"]) == (4, 1, 1, 1)
    related = [(r["path"], r.get("cell"), r["line"], r["message"]) for r in finding["related"]]
    assert related == [
        ("workspace/helpers.py", None, 3, "`normalize_` does it here"),
        ("workspace/analysis.ipynb", 3, 2, "`tanh` saves its output here"),
        ("workspace/analysis.ipynb", 4, 2, "backward() fails here"),
    ]


def test_cli_folders_include_notebooks(tmp_path) -> None:
    for p in NOTEBOOKS:
        target = tmp_path / p.relative_to(FIXTURES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(p.read_bytes())
    (tmp_path / "workspace" / "helpers.py").write_text((FIXTURES / "workspace" / "helpers.py").read_text())
    proc = gradguard("check", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1] == "Found 2 findings (2 errors) in 2 files (4 checked)."


def test_cli_fix_writes_the_cells_back_and_keeps_the_notebook_as_it_was(tmp_path) -> None:
    original = (FIXTURES / "bad_across_cells.ipynb").read_text(encoding="utf-8")
    nb = json.loads(original)
    nb["cells"][0]["source"] = ["# Gating — une cellule à la fois\n"]  # non-ASCII text stays as it is
    nb["metadata"]["custom"] = {"z": 1, "a": 2}  # key order stays
    text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    target = tmp_path / "nb.ipynb"
    target.write_text(text, encoding="utf-8")
    proc = gradguard("check", "--fix", "nb.ipynb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "fixed nb.ipynb: GG201 cell 5, line 2: Use the out-of-place form" in proc.stderr
    after = target.read_text(encoding="utf-8")
    expected_nb = json.loads(text)
    expected_nb["cells"][4]["source"] = ["!echo scaling\n", "gate = gate.mul(0.5)  # expect GG201"]
    assert after == json.dumps(expected_nb, indent=1, ensure_ascii=False) + "\n"


def test_cli_diff_shows_the_json_change_and_writes_nothing(tmp_path) -> None:
    target = tmp_path / "nb.ipynb"
    nb = json.loads((FIXTURES / "bad_across_cells.ipynb").read_text())
    target.write_text(json.dumps(nb, indent=2) + "\n")  # another indentation is kept too
    before = target.read_text()
    proc = gradguard("check", "--diff", "nb.ipynb", cwd=tmp_path)
    assert target.read_text() == before
    changed = [ln for ln in proc.stdout.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    assert changed == ['-        "gate.mul_(0.5)  # expect GG201"', '+        "gate = gate.mul(0.5)  # expect GG201"']


def test_fix_cells_skips_a_fix_that_leaves_its_cell() -> None:
    cells = {1: "import torch\nw = torch.ones(3, requires_grad=True)", 2: "w.add_(1)"}
    fixed, applied = notebook.fix_cells(cells, "nb.ipynb")
    assert fixed[1] == cells[1]
    assert fixed[2] != cells[2] and applied and all(a.startswith("GG101 cell 2, line 1") for a in applied)
