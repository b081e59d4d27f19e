"""`gradguard check` follows calls into the project's other files (root: nearest pyproject.toml/.git)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def gradguard(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "server"))
    return subprocess.run([sys.executable, "-m", "gradguard", *args], capture_output=True, text=True, cwd=str(cwd),
                          env=env, timeout=180)


def test_text_output_names_the_helper_file_relative_to_here() -> None:
    proc = gradguard("check", "main.py", cwd=FIXTURES / "mutating_helper")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("main.py:7:1: GG201 [error] `t` is changed in place (.mul_())")
    assert lines[1] == "    helpers.py:5:5: `scale_` does it here"


def test_no_follow_is_the_one_file_analysis() -> None:
    proc = gradguard("check", "--no-follow", "main.py", cwd=FIXTURES / "mutating_helper")
    assert proc.returncode == 0 and "All clear" in proc.stdout


def test_json_and_sarif_carry_the_other_file() -> None:
    proc = gradguard("check", "--format", "json", "main.py", cwd=FIXTURES / "module_inplace_input")
    [finding] = json.loads(proc.stdout)
    assert "cell" not in finding
    assert ("blocks.py", 12, "`forward` does it here") in [(r["path"], r["line"], r["message"])
                                                           for r in finding["related"]]
    proc = gradguard("check", "--format", "sarif", "main.py", cwd=FIXTURES / "module_inplace_input")
    [result] = json.loads(proc.stdout)["runs"][0]["results"]
    uris = {r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]}
    assert uris == {"main.py", "blocks.py"}


def test_the_project_root_is_found_above_the_paths_and_any_j_gives_the_same_output(tmp_path) -> None:
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "helpers.py").write_text((FIXTURES / "mutating_helper" / "helpers.py").read_text())
    for i in range(9):  # enough files for the process pool
        shutil.copy(FIXTURES / "mutating_helper" / "main.py", root / "scripts" / f"train_{i}.py")
    one = gradguard("check", "-j", "1", "scripts", cwd=root)
    two = gradguard("check", "-j", "2", "scripts", cwd=root)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert one.stdout == two.stdout
    assert one.stdout.count("    helpers.py:5:5: `scale_` does it here") == 9
