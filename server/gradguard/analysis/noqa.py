"""Which lines' `# noqa` comments silence a finding: its own, and where its in-place module is built or switched
(the user decides there)."""

from __future__ import annotations

import ast
import re

from ..findings import Finding

NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z0-9]+(?:[\s,]+[A-Za-z0-9]+)*))?", re.IGNORECASE)


# The related place where an `inplace=True` module is built: the user decides there, so a noqa there counts too.
MODULE_BUILT = "the module is built with `inplace=True` here"
MODULE_SWITCHED = "the module is switched to `inplace=True` here"


def module_built(node: ast.AST) -> str:
    return MODULE_SWITCHED if isinstance(node, ast.Attribute) else MODULE_BUILT  # `m.inplace = True`


def noqa_lines(f: Finding) -> set[int]:
    """The lines whose `# noqa` suppresses the finding: its own, and where its in-place module is built."""
    lines = {f.span.line, f.span.end_line}
    for r in f.related:
        if r.path is None and r.message in (MODULE_BUILT, MODULE_SWITCHED):
            lines |= {r.span.line, r.span.end_line}
    return lines


def noqa_codes(line: str):
    """None: no noqa; empty set: bare noqa (everything); else the codes."""
    if "#" not in line:
        return None
    m = NOQA.search(line)
    if not m:
        return None
    codes = m.group("codes")
    return set() if not codes else {c.strip().upper() for c in re.split(r"[\s,]+", codes) if c.strip()}
