"""The realistic scripts in examples/ (what `make demo` checks): torch fails where they say, and
gradguard reports exactly the lines they mark."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from example_markers import parse_markers  # noqa: E402
from torch_runner import run_examples  # noqa: E402

from gradguard.engine import analyze  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


@pytest.fixture(scope="module")
def torch_results():
    return run_examples([str(p) for p in SCRIPTS], workers=2)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_torch_raises_where_marked(path, torch_results):
    markers = parse_markers(path)
    result = torch_results[os.path.realpath(path)]
    assert len(markers.raises) == 1, "each bundled example has exactly one real failure"
    (line, text), = markers.raises.items()
    assert result["raised"] and result["exc_line"] == line, result.get("traceback", "ran clean")
    assert text in result["exc_message"]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_gradguard_reports_marked_lines(path):
    markers = parse_markers(path)
    result = analyze(path.read_text(encoding="utf-8"), str(path))
    got = {(f.span.line, f.code) for f in result.findings}
    want = {(line, code) for line, codes in markers.expect.items() for code in codes}
    assert got == want
