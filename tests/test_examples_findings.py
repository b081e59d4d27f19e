"""gradguard's findings on every rule example match the example's `expect` markers exactly.

The same files are run under torch by test_examples_torch.py, so a finding here is tied to what torch does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gradguard.engine import analyze
from gradguard.rules import EXAMPLES_DIR, RULES

sys.path.insert(0, str(Path(__file__).parent))
from example_markers import parse_markers  # noqa: E402

EXAMPLES = sorted(EXAMPLES_DIR.glob("GG*/*.py"))


def found(path: Path) -> set[tuple[int, str]]:
    result = analyze(path.read_text(encoding="utf-8"), str(path))
    assert result.error is None, result.error
    return {(f.span.line, f.code) for f in result.findings}


def expected(path: Path) -> set[tuple[int, str]]:
    markers = parse_markers(path)
    return {(line, code) for line, codes in markers.expect.items() for code in codes}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_findings_match_markers(path: Path):
    want = expected(path)
    got = found(path)
    missing = sorted(want - got)
    extra = sorted(got - want)
    assert not missing and not extra, f"missing {missing}, unexpected {extra}"


def test_every_rule_has_examples():
    assert EXAMPLES, "no examples found"
    for code in RULES:
        names = [p.name for p in (EXAMPLES_DIR / code).glob("*.py")]
        assert any(n.startswith("bad_") for n in names), f"{code} has no bad example"
        assert any(n.startswith("good_") for n in names), f"{code} has no good example"
