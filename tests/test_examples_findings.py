"""gradguard's findings on every rule example match the example's `expect` markers exactly.

The same files are run under torch by test_examples_torch.py, so a finding here is tied to what torch does.
"""

from __future__ import annotations

import ast
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


def main_block(source: str) -> ast.If | None:
    """The module's `if __name__ == "__main__":` block: the driver that makes torch raise."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and \
                isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__":
            return node
    return None


DRIVEN = [p for p in EXAMPLES if main_block(p.read_text(encoding="utf-8")) is not None]


@pytest.mark.parametrize("path", DRIVEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_model_findings_do_not_need_the_driver(path: Path):
    """The findings on the model's lines come from the training assumption, not from the driver: the file
    without its `__main__` block gives the same findings on the lines above it."""
    source = path.read_text(encoding="utf-8")
    block = main_block(source)
    lines = source.splitlines(keepends=True)
    model_only = "".join(lines[: block.lineno - 1])
    result = analyze(model_only, str(path))
    assert result.error is None, result.error
    alone = {(f.span.line, f.code) for f in result.findings}
    driven = {(line, code) for line, code in found(path) if line < block.lineno}
    assert alone == driven, f"without the driver {sorted(alone)}, with it {sorted(driven)}"


def test_every_rule_has_examples():
    assert EXAMPLES, "no examples found"
    for code in RULES:
        names = [p.name for p in (EXAMPLES_DIR / code).glob("*.py")]
        assert any(n.startswith("bad_") for n in names), f"{code} has no bad example"
        assert any(n.startswith("good_") for n in names), f"{code} has no good example"
