"""The rule reference, generated from the rules and their runnable examples (`gradguard docs`)."""

from __future__ import annotations

import ast
from pathlib import Path

from .rules import RULES, Rule
from .rules.fix_descriptions import FIX_DESCRIPTIONS


def example_title(path: Path) -> str:
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except SyntaxError:
        doc = None
    return (doc or path.stem.replace("_", " ")).splitlines()[0]


def pairs(rule: Rule) -> list[tuple[Path, Path | None]]:
    """Bad examples with their hand-fixed twins (good_<same suffix>.py) where there is one."""
    files = {p.name: p for p in rule.examples()}
    out = []
    for name, path in sorted(files.items()):
        if name.startswith("bad_"):
            out.append((path, files.get("good_" + name[len("bad_"):])))
    return out


def rule_markdown(rule: Rule) -> str:
    lines = [
        f"# {rule.code} `{rule.name}`",
        "",
        f"**{rule.summary}.** Default severity: {rule.severity.value}"
        + ("" if rule.default_enabled else " (off unless selected)") + ".",
        "",
        "## Why is this bad?",
        "",
        rule.why,
        "",
        "## What torch prints",
        "",
        "```",
        rule.torch_prints,
        "```",
        "",
    ]
    examples = pairs(rule)
    if examples:
        bad, good = next(((b, g) for b, g in examples if g is not None), examples[0])
        lines += ["## Example", "", f"{example_title(bad).rstrip('.')}:", "", "```python",
                  bad.read_text(encoding="utf-8").rstrip(), "```", ""]
        lines += ["## Use instead", "", rule.use_instead, ""]
        if good is not None:
            lines += ["```python", good.read_text(encoding="utf-8").rstrip(), "```", ""]
    else:
        lines += ["## Use instead", "", rule.use_instead, ""]
    fix = FIX_DESCRIPTIONS.get(rule.code)
    if fix:
        lines += ["## Fix", "", fix, ""]
    lines += ["## Suppress", "", f"`# noqa: {rule.code}` at the end of the line.", ""]
    all_examples = rule.examples()
    if all_examples:
        lines += ["## All examples (each one run under torch by the test suite)", ""]
        for path in all_examples:
            kind = "flagged" if path.name.startswith("bad_") else "not flagged"
            lines.append(f"- `{path.name}` ({kind}): {example_title(path)}")
        lines.append("")
    return "\n".join(lines)


def index_markdown() -> str:
    lines = ["# gradguard rules", "", "| code | name | severity | what |", "|---|---|---|---|"]
    for rule in RULES.values():
        lines.append(f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines) + "\n"


def write_docs(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in RULES.values():
        page = out / f"{rule.code}.md"
        page.write_text(rule_markdown(rule), encoding="utf-8")
        written.append(page)
    index = out / "README.md"
    index.write_text(index_markdown(), encoding="utf-8")
    written.append(index)
    return written
