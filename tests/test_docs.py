"""The rule reference in docs/rules is generated from the rules and their examples, and kept in sync."""

from pathlib import Path

from gradguard.docs import write_docs
from gradguard.rules import RULES

ROOT = Path(__file__).resolve().parents[1]


def test_rule_pages_are_up_to_date(tmp_path):
    written = write_docs(tmp_path)
    for page in written:
        committed = ROOT / "docs" / "rules" / page.name
        assert committed.exists(), f"{committed} is missing: run `make docs`"
        assert committed.read_text() == page.read_text(), f"{committed} is stale: run `make docs`"


def test_every_page_has_the_ruff_style_sections():
    for code in RULES:
        text = (ROOT / "docs" / "rules" / f"{code}.md").read_text()
        for heading in ("## Why is this bad?", "## What torch prints", "## Example", "## Use instead", "## Fix"):
            assert heading in text, f"{code}: {heading}"
