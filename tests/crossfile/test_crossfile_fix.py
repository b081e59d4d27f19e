"""`inplace=True` -> `inplace=False` where the module is built, when that is another workspace file: the finding
is reported at this file's call, its fix edits the other file (`check --fix`/`--diff`, and the fix's edits in JSON
name that file). The fixed workspace runs under torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from crossfile_support import run_under_torch

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def gradguard(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "server"))
    return subprocess.run([sys.executable, "-m", "gradguard", *args], capture_output=True, text=True, cwd=str(cwd),
                          env=env, timeout=180)


def workspace(tmp_path: Path, fixture: str) -> Path:
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    (root / ".git").mkdir()  # the project root
    return root


def runs(root: Path, *files: str) -> dict:
    return run_under_torch([{"id": f, "workspace": str(root), "file": str(root / f)} for f in files])


def test_json_names_the_other_file_in_the_fix(tmp_path) -> None:
    root = workspace(tmp_path, "module_inplace_input")
    proc = gradguard("check", "--format", "json", "main.py", cwd=root)
    [finding] = json.loads(proc.stdout)
    preferred = [fx for fx in finding["fixes"] if fx["preferred"]]
    assert [fx["title"] for fx in preferred] == ["Set `inplace=False` where the module is built (blocks.py, line 9)"]
    assert preferred[0]["edits"] == [{"line": 9, "column": 36, "end_line": 9, "end_column": 40, "new_text": "False",
                                      "path": "blocks.py"}]


def test_diff_shows_the_other_file_and_fix_writes_it(tmp_path) -> None:
    root = workspace(tmp_path, "module_inplace_input")
    main, blocks = (root / "main.py").read_text(), (root / "blocks.py").read_text()
    assert runs(root, "main.py")["main.py"]["raised"]
    diff = gradguard("check", "--diff", "main.py", cwd=root)
    assert "--- blocks.py\n+++ blocks.py\n" in diff.stdout
    assert "-        self.act = nn.ReLU(inplace=True)\n+        self.act = nn.ReLU(inplace=False)\n" in diff.stdout
    assert (root / "blocks.py").read_text() == blocks  # --diff changes nothing
    fixed = gradguard("check", "--fix", "main.py", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr  # the finding in main.py is gone after the fix
    assert "fixed blocks.py: GG201 (main.py line 8): Set `inplace=False`" in fixed.stderr
    assert (root / "main.py").read_text() == main
    assert (root / "blocks.py").read_text() == blocks.replace("nn.ReLU(inplace=True)", "nn.ReLU(inplace=False)")
    assert runs(root, "main.py") == {"main.py": {"raised": False}}
    again = gradguard("check", "--fix", "main.py", cwd=root)
    assert again.returncode == 0 and "fixed 0 files" in again.stderr


def test_a_module_both_files_report_is_fixed_once(tmp_path) -> None:
    # blocks.py reports the change inside GatedBlock itself, main.py at its call: one edit
    root = workspace(tmp_path, "module_internal")
    blocks = (root / "blocks.py").read_text()
    fixed = gradguard("check", "--fix", ".", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (root / "blocks.py").read_text() == blocks.replace("nn.ReLU(inplace=True)", "nn.ReLU(inplace=False)")
    assert runs(root, "main.py") == {"main.py": {"raised": False}}


def test_no_edit_where_the_other_file_relies_on_the_change(tmp_path) -> None:
    # `self.act(x)` as a statement, `x` returned: inplace=False there would drop the ReLU
    root = workspace(tmp_path, "module_inplace_input")
    blocks = (root / "blocks.py").read_text().replace("        return self.act(x)\n",
                                                      "        self.act(x)\n        return x\n")
    (root / "blocks.py").write_text(blocks)
    proc = gradguard("check", "--format", "json", "main.py", cwd=root)
    [finding] = json.loads(proc.stdout)
    assert not any(e.get("path") for fx in finding["fixes"] for e in fx["edits"])
    fixed = gradguard("check", "--fix", "main.py", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (root / "blocks.py").read_text() == blocks
    # instead, this file's sigmoid output is cloned where it is made: the module changes the copy
    assert "s = torch.sigmoid(w).clone()\n" in (root / "main.py").read_text()
    assert runs(root, "main.py") == {"main.py": {"raised": False}}


def test_a_notebook_finding_is_fixed_in_the_file_that_builds_the_module(tmp_path) -> None:
    root = workspace(tmp_path, "module_inplace_input")
    (root / "main.py").unlink()
    cells = ["import torch\nfrom blocks import Head",
             "w = torch.randn(4, requires_grad=True)\ns = torch.sigmoid(w)\nout = Head()(s)\nout.sum().backward()"]
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c}
                          for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (root / "nb.ipynb").write_text(json.dumps(notebook, indent=1))
    before = (root / "nb.ipynb").read_text()
    fixed = gradguard("check", "--fix", "nb.ipynb", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr  # re-checked: the finding is gone
    assert "fixed blocks.py: GG201 (nb.ipynb cell 2, line 3): Set `inplace=False`" in fixed.stderr
    assert "nn.ReLU(inplace=False)" in (root / "blocks.py").read_text()
    assert (root / "nb.ipynb").read_text() == before
    (root / "program.py").write_text("\n".join(cells) + "\n")
    assert runs(root, "program.py") == {"program.py": {"raised": False}}



def printed(root: Path, name: str) -> str:
    done = subprocess.run([sys.executable, name], capture_output=True, text=True, cwd=str(root), timeout=180,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_helper_of_another_file_that_saves_the_slice_gets_a_copy(tmp_path) -> None:
    # `q[:, :, 1:] = rotate(q[:, :, 1:], ...)`, the product that saves the slice's memory inside rope.py (two calls
    # deep: rotate -> pairs_of): `q = q.clone()` before the statement would be read, saved and written alike
    root = workspace(tmp_path, "rotary_helper_elsewhere")
    assert runs(root, "main.py")["main.py"]["raised"]
    fixed = gradguard("check", "--fix", "main.py", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = (root / "main.py").read_text()
    assert "        q[:, :, 1:] = rotate(q[:, :, 1:].clone(), self.freqs)  # expect GG201\n" in text
    assert "q = q.clone()" not in text
    assert printed(root, "main.py") == printed(root, "twin.py")


def test_a_save_by_another_helper_before_the_statement_still_clones_the_tensor(tmp_path) -> None:
    # rope.gate saved `q` a statement earlier: a copy given to `rotate` cannot help with that save; `q = q.clone()`
    # first, then (the finding that is left: rotate's own save) the call's copy
    root = workspace(tmp_path, "rotary_helper_elsewhere")
    assert runs(root, "gated.py")["gated.py"]["raised"]
    fixed = gradguard("check", "--fix", "gated.py", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "fixed gated.py: GG201 line 22: Clone `q` before changing it" in fixed.stderr
    assert "        q = q.clone()\n        q[:, :, 1:] = rotate(q[:, :, 1:].clone(), self.freqs)\n" in \
        (root / "gated.py").read_text()
    assert printed(root, "gated.py") == printed(root, "gated_twin.py")


def test_a_change_made_here_to_the_output_of_a_block_of_another_file_gets_its_fix(tmp_path) -> None:
    # `x = self.block2(x)` (a ReLU in blocks.py saved its output), then `x += connection` in this file: the
    # tensor was made there, the change is here, and so is its out-of-place fix (it had only `# noqa`)
    root = workspace(tmp_path, "residual_on_block_elsewhere")
    blocks = (root / "blocks.py").read_text()
    assert runs(root, "main.py")["main.py"]["raised"]
    fixed = gradguard("check", "--fix", "main.py", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "        x = x + connection  # expect GG201\n" in (root / "main.py").read_text()
    assert (root / "blocks.py").read_text() == blocks
    assert printed(root, "main.py") == printed(root, "twin.py")


def test_a_base_class_dropout_whose_result_a_subclass_drops_is_not_switched_off(tmp_path) -> None:
    # base.py builds `self.dropout_layer = nn.Dropout(p, inplace=True)` and never calls it; main.py's subclass calls
    # `self.dropout_layer(output)` for its change: `inplace=False` in base.py would drop the dropout (torch runs, the
    # numbers change), and `.clone()` of the LSTM's result would clone a tuple. The fix clones `output` here.
    root = workspace(tmp_path, "lstm_output_dropped_out_by_base_module")
    base = (root / "base.py").read_text()
    assert runs(root, "main.py")["main.py"]["raised"]
    fixed = gradguard("check", "--fix", "main.py", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (root / "base.py").read_text() == base
    assert "        output = output.clone()\n        self.dropout_layer(output)" in (root / "main.py").read_text()
    assert printed(root, "main.py") == printed(root, "twin.py")
