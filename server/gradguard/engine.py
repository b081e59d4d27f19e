"""The public entry point: source text in, findings out.

    from gradguard.engine import analyze
    result = analyze(source, path="model.py")
    result.findings      # list[Finding], sorted by position, after noqa and config filtering
    result.error         # None, or a one-line message when the text could not be analysed

Pure: no torch import, no execution of the analysed code, no I/O besides what the caller passes in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Config
from .findings import Finding


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # e.g. "syntax error at line 3, column 7: invalid syntax"
    error_line: int | None = None


def analyze(source: str, path: str = "<string>", config: Config | None = None) -> Analysis:
    from .analysis.checker import check_source
    from .fixes import attach_fixes

    result = check_source(source, path, config or Config())
    if result.findings:
        attach_fixes(source, result.findings)
    return result
