"""Torch judges the rule examples: each example file does under torch exactly what its markers say.

All examples run once per session, in 2 worker processes (tests/torch_runner.py); the test process itself
never imports torch.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from collections import Counter
from pathlib import Path

import pytest

try:
    from example_markers import parse_markers, strip_markers
    from torch_runner import run_examples
except ImportError:  # tests/ imported as a package
    from tests.example_markers import parse_markers, strip_markers
    from tests.torch_runner import run_examples

from gradguard.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "server" / "gradguard" / "rules" / "examples"
FILES = sorted(EXAMPLES.glob("*/*.py"))
IDS = [f"{p.parent.name}/{p.name}" for p in FILES]

ALLOWED_IMPORTS = {"torch", "numpy", "einops", "argparse"}  # einops: its views are part of what the rules model;
# argparse: a training script's options, which the runner reads from an empty command line (their defaults)
SLOW_SECONDS = 2.0
RANDOM_HINTS = re.compile(
    r"randn|rand\(|randint|randperm|dropout|Dropout|normal_|uniform_|nn\.(Linear|Conv|RNN|GRU|LSTM|Embedding|Bilinear)"
)
MAX_TWIN_CHANGED_LINES = 8  # a twin is the bad program with a small, local fix


@pytest.fixture(scope="session")
def torch_results() -> dict[str, dict]:
    return run_examples([str(p) for p in FILES], workers=2)


def _result(torch_results: dict[str, dict], path: Path) -> dict:
    return torch_results[os.path.realpath(path)]


def _kind(path: Path) -> str:
    return path.name.split("_", 1)[0]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_torch_does_what_the_markers_say(path: Path, torch_results: dict[str, dict]) -> None:
    markers = parse_markers(path)
    result = _result(torch_results, path)
    assert len(markers.raises) <= 1, "at most one 'torch raises' marker: the first exception ends the program"
    if markers.raises:
        (line, text), = markers.raises.items()
        assert result["raised"], f"expected torch to raise at line {line} ({text!r}); it ran clean"
        assert result["exc_line"] == line, (
            f"torch raised at line {result['exc_line']}, the marker is on line {line}:\n{result['traceback']}"
        )
        assert text in result["exc_message"], f"{text!r} not in the message:\n{result['exc_message']}"
    else:
        assert not result["raised"], f"expected a clean run, got:\n{result['traceback']}"
        assert result["stdout"].strip(), "a clean example prints the values it computes"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_marker_kinds(path: Path) -> None:
    markers = parse_markers(path)
    kind = _kind(path)
    assert kind in ("bad", "good"), "example files are named bad_*.py or good_*.py"
    unknown = markers.codes - set(RULES)
    assert not unknown, f"unknown rule codes {unknown}"
    if kind == "bad":
        assert markers.expect, "a bad example needs at least one '# expect GGxxx' marker"
        assert path.parent.name in markers.codes, f"a bad example in {path.parent.name}/ expects that code"
    else:
        assert not markers.expect, "a good example has no 'expect' markers"
        assert not markers.raises, "a good example has no 'torch raises' marker"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_example_shape(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    doc = ast.get_docstring(tree)
    assert doc, "an example starts with a docstring"
    title = doc.splitlines()[0]
    assert title.strip() and len(title) <= 100, "the docstring's first line is a short title"
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add((node.module or "").split(".")[0])
    assert modules <= ALLOWED_IMPORTS, f"only torch and numpy may be imported, not {modules - ALLOWED_IMPORTS}"
    if RANDOM_HINTS.search(source):
        assert "torch.manual_seed(0)" in source, "randomness (or random init) needs torch.manual_seed(0)"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_example_is_quick_and_quiet(path: Path, torch_results: dict[str, dict]) -> None:
    result = _result(torch_results, path)
    assert result["seconds"] < SLOW_SECONDS, f"took {result['seconds']}s"
    if _kind(path) == "good":
        assert not result["warnings"], f"a good example runs without warnings: {result['warnings']}"


def _code_lines(source: str) -> list[str]:
    """The source without its module docstring and without marker comments."""
    source = strip_markers(source)
    tree = ast.parse(source)
    lines = source.splitlines()
    if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant):
        first = tree.body[0]
        del lines[first.lineno - 1 : first.end_lineno]
    return lines


TWINS = [p for p in FILES if _kind(p) == "bad" and (p.parent / ("good_" + p.name[4:])).exists()]


@pytest.mark.parametrize("bad", TWINS, ids=[f"{p.parent.name}/{p.name[4:]}" for p in TWINS])
def test_twin_is_a_small_fix(bad: Path) -> None:
    good = bad.parent / ("good_" + bad.name[4:])
    a = _code_lines(bad.read_text(encoding="utf-8"))
    b = _code_lines(good.read_text(encoding="utf-8"))
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
        if tag != "equal"
    )
    assert 0 < changed <= MAX_TWIN_CHANGED_LINES, f"{changed} lines differ between the bad example and its twin"


def test_every_rule_has_examples() -> None:
    counts = Counter((p.parent.name, _kind(p)) for p in FILES)
    folders = {p.parent.name for p in FILES}
    assert folders <= set(RULES), f"example folders without a rule: {folders - set(RULES)}"
    missing = [
        f"{code}: {counts[(code, 'bad')]} bad, {counts[(code, 'good')]} good"
        for code in RULES
        if counts[(code, "bad")] < 2 or counts[(code, "good")] < 2
    ]
    assert not missing, "each rule needs >= 2 bad and >= 2 good examples: " + "; ".join(missing)
    good = sum(v for (code, kind), v in counts.items() if kind == "good")
    assert len(FILES) >= 150, f"only {len(FILES)} examples"
    assert 2 * good >= len(FILES), f"only {good} of {len(FILES)} examples are good"
