"""The walk's findings as reported: the reports of one finding by several walks (or paths) merged into one, then
the configuration's selection and severities and the `# noqa` comments applied."""

from __future__ import annotations

from ..config import Config
from ..findings import Finding, Severity
from .noqa import noqa_codes, noqa_lines


def merge_finding(found: dict, new: Finding) -> None:
    """Several walks (or paths) may report the same finding: keep one, the surest and most severe. The report that
    wins brings its message, explanation and context: a finding first reported as resting on the constructor's
    defaults, then proven on every path, no longer rests on them (checker.analyse_tree drops a finding by default
    that the code building the class changes)."""
    key = (new.code, new.span.line, new.span.column)
    old = found.get(key)
    if old is None:
        found[key] = new
        return
    if old.depends_on and not new.depends_on:  # known for sure on some path: that wins
        old.depends_on = None
        take_report(old, new)
    elif severity_rank(new.severity) > severity_rank(old.severity) and bool(old.depends_on) == bool(new.depends_on):
        take_report(old, new)
    for r in new.related:
        if r not in old.related:
            old.related.append(r)


def take_report(old: Finding, new: Finding) -> None:
    old.severity = new.severity
    old.message = new.message
    old.explanation = new.explanation
    old.context = new.context


def severity_rank(sev: Severity) -> int:
    return {Severity.HINT: 0, Severity.INFORMATION: 1, Severity.WARNING: 2, Severity.ERROR: 3}[sev]


def finalize(found: list[Finding], lines: list[str], config: Config) -> list[Finding]:
    out = []
    # A change the file proves breaks autograd (a save, a leaf) needs no second finding saying its tensor came from
    # the caller.
    proven = {(f.span.line, f.span.column) for f in found if f.code != "GG202" and not f.depends_on}
    for f in found:
        if not config.enabled(f.code):
            continue
        if f.code == "GG202" and (f.span.line, f.span.column) in proven:
            continue
        if f.depends_on:
            if not config.strict:
                continue
            f.severity = Severity.INFORMATION
            f.message += f" This depends on {f.depends_on}."
        suppressed = False
        for ln in noqa_lines(f):
            if 1 <= ln <= len(lines):
                codes = noqa_codes(lines[ln - 1])
                if codes is not None and (not codes or any(f.code.startswith(c) for c in codes)):
                    suppressed = True
        if suppressed:
            continue
        f.severity = config.severity_for(f.code, f.severity)
        out.append(f)
    out.sort(key=Finding.sort_key)
    return out
