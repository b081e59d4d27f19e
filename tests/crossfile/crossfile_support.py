"""Shared by the cross-file and notebook tests: run workspace programs under torch, compare with markers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
RUNNER = Path(__file__).resolve().parent / "workspace_runner.py"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from example_markers import parse_markers_text  # noqa: E402  (tests/ on sys.path first)


def run_under_torch(jobs: list[dict], timeout: float = 600) -> dict:
    """jobs: {"id", "workspace", "file", "code"?, "paths"?}; returns id -> what torch did (workspace_runner)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(jobs, fh)
        name = fh.name
    try:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        proc = subprocess.run([sys.executable, str(RUNNER), name], capture_output=True, text=True, timeout=timeout,
                              env=env, cwd=tempfile.gettempdir())
    finally:
        os.unlink(name)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def expected(source: str) -> tuple[set, dict]:
    """({(line, code)} the markers expect from gradguard, {line: text} where torch raises)."""
    markers = parse_markers_text(source)
    return {(line, code) for line, codes in markers.expect.items() for code in codes}, dict(markers.raises)


def check(workspace: Path, rel: str, strict: bool = False):
    """gradguard's analysis of `rel` inside the workspace folder, its other files followed (as the editor does)."""
    from gradguard.config import Config
    from gradguard.engine import analyze
    from gradguard.project import Project

    project = Project(str(workspace), jedi_budget=10.0)
    path = workspace / rel
    return analyze(path.read_text(), str(path), Config(strict=strict), project=project)
