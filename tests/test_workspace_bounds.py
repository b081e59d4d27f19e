"""`gradguard check` on paths that share no project, and workspaces too large to read whole.

Given `/tmp/a/main.py` and `/dev/shm/b/main.py`, the common folder of the two is `/`: taken as the project root, the
search for callers read the import lines of every Python file of the filesystem and the run never ended. Each path
now gets its own root (project.argument_roots), and a workspace walk stops past importers.MAX_WORKSPACE_ENTRIES.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import gradguard
from gradguard import importers
from gradguard.callers import CallerIndex
from gradguard.project import Project, argument_roots, find_root

SERVER = str(Path(gradguard.__file__).resolve().parents[1])  # the gradguard under test, for the subprocesses

MAIN = "import torch\nfrom helper import scale\n\nw = torch.ones(3, requires_grad=True)\nscale(w)\n"
HELPER = "def scale(t):\n    t.mul_(2)\n"
# A finding that rests on what callers pass: the run looks for callers of `g` in the workspace (callers.py).
LIB = "def g(x):\n    y = x.exp()\n    y.add_(1)\n    return y\n"


def small_project(folder: Path) -> Path:
    """A project whose finding needs its other file: `scale` (helper.py) changes a leaf in place."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text("")
    (folder / "main.py").write_text(MAIN)
    (folder / "helper.py").write_text(HELPER)
    (folder / "lib.py").write_text(LIB)
    return folder / "main.py"


def other_top_folder() -> Path | None:
    """A writable folder whose only common folder with the temporary folder is `/`."""
    for candidate in ("/dev/shm", "/var/tmp", str(Path.home())):
        if os.path.isdir(candidate) and os.access(candidate, os.W_OK):
            folder = Path(tempfile.mkdtemp(dir=candidate, prefix="gg-bounds-"))
            if os.path.commonpath([str(folder), tempfile.gettempdir()]) == os.sep:
                return folder
            os.rmdir(folder)
    return None


def test_python_files_gives_up_past_the_limit(tmp_path):
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text("x = 1\n")
    assert importers.python_files(str(tmp_path), limit=10) is None
    found = importers.python_files(str(tmp_path), limit=1000)
    assert found is not None and len(found) == 30


def test_callers_of_a_workspace_too_large_are_not_looked_for(tmp_path, monkeypatch):
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text("from lib import f\nf()\n")
    (tmp_path / "lib.py").write_text("def f():\n    pass\n")
    index = CallerIndex(Project(str(tmp_path)))
    assert index.candidate_files(str(tmp_path / "lib.py"), "f")  # small enough: its callers are found
    monkeypatch.setattr(importers, "MAX_WORKSPACE_ENTRIES", 10)
    index = CallerIndex(Project(str(tmp_path)))
    assert index.candidate_files(str(tmp_path / "lib.py"), "f") == []


def test_paths_in_one_folder_share_a_root(tmp_path):
    a, b = small_project(tmp_path / "p" / "a"), small_project(tmp_path / "p" / "b")
    roots = argument_roots([str(a), str(b)])
    assert set(roots.values()) == {find_root([str(a), str(b)])}


def test_paths_with_only_the_filesystem_root_in_common_get_their_own_roots(tmp_path):
    other = other_top_folder()
    if other is None:
        pytest.skip("no writable folder outside the temporary folder's top folder")
    try:
        a, b = small_project(tmp_path / "a"), small_project(other / "b")
        roots = argument_roots([str(a), str(b)])
        assert roots == {str(a): str(a.parent), str(b): str(b.parent)}
        # Checked together, each file's finding comes from its own project's helper, the search for the callers of
        # lib.py's `g` reads one project, and the run ends (with `/` as the root it never did).
        lib = b.parent / "lib.py"
        proc = subprocess.run([sys.executable, "-m", "gradguard", "check", "--no-cache", "--strict", str(a), str(b),
                               str(lib)],
                              capture_output=True, text=True, timeout=180, cwd=str(tmp_path),
                              env={**os.environ, "PYTHONPATH": SERVER})
        assert proc.returncode == 1, proc.stderr
        assert f"{a}:5:1: GG101" in proc.stdout and f"{b}:5:1: GG101" in proc.stdout, proc.stdout
        assert f"{lib}:3:5: GG201 [information]" in proc.stdout, proc.stdout
        # The result cache of each project is kept in its own root.
        cached = subprocess.run([sys.executable, "-m", "gradguard", "check", "--strict", str(a), str(b), str(lib)],
                                capture_output=True, text=True, timeout=180, cwd=str(tmp_path),
                                env={**os.environ, "PYTHONPATH": SERVER})
        assert cached.returncode == 1 and cached.stdout == proc.stdout
        assert (a.parent / ".gradguard_cache").is_dir() and (b.parent / ".gradguard_cache").is_dir()
    finally:
        subprocess.run(["rm", "-rf", str(other)], check=False)
