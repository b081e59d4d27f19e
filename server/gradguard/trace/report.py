"""From what the run observed to `gradguard check`'s Findings, linked to the static analysis of the same files.

A runtime finding and a static one agree when they have the same path, code and line, the line being the
finding's own or one of its "called from" lines (the static analysis may report at the call of a helper).
GG501 and GG502 are one finding at run time (torch's message is the same), so they match each other. GG202 (a
forward changes the tensor its caller passed in) is what the static analysis says when it cannot see the caller;
the run sees it, and the same change is a saved tensor changed (GG201) or a leaf or a view of one (GG101, GG102).
This module does not import torch.
"""

from __future__ import annotations

import json
import linecache
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..config import Config, ConfigError, find_pyproject, load_pyproject
from ..findings import Finding, Related, Severity, Span
from ..output import FileResult, display_path, finding_dict, sarif, write_finding
from ..project import find_root
from ..rules import RULES
from .events import Observation
from .frames import Place

CONFIRMED = "confirmed by the run"
RUNTIME_ONLY = "found only at run time (the static analysis missed it)"
STATIC_ONLY = "static only (not triggered in this run)"
RESULT_DIR = ".gradguard_trace"
RESULT_FILE = "last.json"
_SAME_AT_RUN_TIME = {"GG502": "GG501"}
_CALLER_SEEN_AT_RUN_TIME = {"GG202": ("GG201", "GG101", "GG102")}


def _agree(static_code: str, run_code: str) -> bool:
    """Do a static finding and a runtime one name the same problem?"""
    return (_SAME_AT_RUN_TIME.get(static_code, static_code) == _SAME_AT_RUN_TIME.get(run_code, run_code)
            or run_code in _CALLER_SEEN_AT_RUN_TIME.get(static_code, ()))


@dataclass
class TracedFinding:
    path: str
    finding: Finding
    lines: tuple[int, ...]  # the finding's line and its "called from" lines in the same file
    status: str  # raised / backward / pending
    static: str = RUNTIME_ONLY


@dataclass
class TraceReport:
    findings: list[TracedFinding] = field(default_factory=list)
    static_only: list[tuple[str, Finding]] = field(default_factory=list)
    static_errors: list[str] = field(default_factory=list)


def line_span(path: str, line: int) -> Span:
    """The line without its indentation and trailing blanks (trace knows lines, not columns)."""
    text = linecache.getline(path, line).rstrip()
    start = len(text) - len(text.lstrip())
    return Span(line, start + 1, line, max(len(text) + 1, start + 2))


def _related(place: Place, message: str, home: str) -> Related:
    return Related(line_span(place.path, place.line), message, None if place.path == home else place.path)


def to_finding(obs: Observation, strict: bool) -> TracedFinding | None:
    """None for an observation this run does not report (one no backward() used, without --strict)."""
    if obs.place is None or (obs.status == "pending" and not strict):
        return None
    rule = RULES.get(obs.code)
    severity = rule.severity if rule else Severity.ERROR
    message = obs.message
    if obs.status == "pending":
        severity = Severity.INFORMATION
        message += " (no backward() used that tensor in this run)"
    home = obs.place.path
    related = [_related(place, text, home) for place, text in obs.related]
    related += [_related(place, f"called from {place.function}" if place.function != "<module>" else "called from",
                         home) for place in obs.chain[1:]]
    lines = tuple(p.line for p in obs.chain + obs.also if p.path == home)
    finding = Finding(obs.code, severity, message, line_span(home, obs.place.line), related)
    return TracedFinding(home, finding, lines, obs.status)


def build(observations: list[Observation], strict: bool, check: Callable | None = None) -> TraceReport:
    """`check(path, config, root=...)`: `gradguard check`'s analysis of one file (the CLI passes its own), or None
    for no link to the static analysis."""
    report = TraceReport()
    seen = set()
    rank = {"raised": 0, "backward": 1, "pending": 2}  # of two at one place, the one torch or backward() met
    for obs in sorted(observations, key=lambda o: rank.get(o.status, 3)):
        traced = to_finding(obs, strict)
        if traced is None:
            continue
        key = (traced.path, traced.finding.span.line, traced.finding.code)
        if key in seen:
            continue
        seen.add(key)
        report.findings.append(traced)
    if check is not None:
        link_static(report, [p.path for o in observations for p in o.chain] +
                    [p.path for o in observations for p, _ in o.related], check)
    return report


def link_static(report: TraceReport, paths: list[str], check: Callable) -> None:
    """Run `gradguard check` on the user files the findings pass through; mark each finding on both sides."""
    files = sorted({p for p in paths if os.path.isfile(p) and p.endswith(".py")})
    if not files:
        return
    root = find_root(files)
    try:
        pyproject = find_pyproject(Path(files[0]))
        config = load_pyproject(pyproject) if pyproject is not None else Config()
    except ConfigError as exc:
        report.static_errors.append(str(exc))
        config = Config()
    matched: set[int] = set()
    static_by_file = {}
    for path in files:
        result = check(path, config, root=root)
        if result.error:
            report.static_errors.append(f"{path}: {result.error}")
        static_by_file[path] = result.findings
    for traced in report.findings:
        for static in static_by_file.get(traced.path, ()):
            if _agree(static.code, traced.finding.code) and static.span.line in traced.lines:
                traced.static = CONFIRMED
                matched.add(id(static))
    for path, findings in static_by_file.items():
        report.static_only += [(path, f) for f in findings if id(f) not in matched]


# ---------------------------------------------------------------------------- output
def _shown(path: str) -> str:
    return display_path(path)


def print_text(report: TraceReport, out) -> None:
    for traced in report.findings:
        write_finding(FileResult(_shown(traced.path)), traced.finding, out)
        out.write(f"    static analysis: {traced.static}\n")
    for path, f in report.static_only:
        write_finding(FileResult(_shown(path)), f, out)
        out.write(f"    static analysis: {STATIC_ONLY}\n")
    for error in report.static_errors:
        out.write(f"gradguard trace: static analysis: {error}\n")
    n = len(report.findings)
    if n:
        out.write(f"gradguard trace: {n} finding{'s' if n != 1 else ''} in this run.\n")
    else:
        out.write("gradguard trace: no autograd problem in this run.\n")


def to_json(report: TraceReport, program: list[str], exit_code: int, absolute: bool = False) -> dict:
    def shown(path):
        return path if absolute else _shown(path)

    return {
        "program": program,
        "exit_code": exit_code,
        "findings": [finding_dict(shown(t.path), t.finding) | {"static": t.static, "status": t.status}
                     for t in report.findings],
        "static_only": [finding_dict(shown(p), f) | {"static": STATIC_ONLY} for p, f in report.static_only],
    }


def to_sarif(report: TraceReport) -> dict:
    results = {}
    for t in report.findings:
        results.setdefault(t.path, FileResult(_shown(t.path))).findings.append(t.finding)
    log = sarif(list(results.values()))
    statics = iter(t.static for path in results for t in report.findings if t.path == path)
    for result in log["runs"][0]["results"]:
        result["properties"] = {"static": next(statics)}
    log["runs"][0]["tool"]["driver"]["name"] = "gradguard trace"
    return log


def write_last(report: TraceReport, program: list[str], exit_code: int, root: str) -> str | None:
    """`<root>/.gradguard_trace/last.json`: the language server shows it for the open files it names. The folder
    holds a `.gitignore` of `*`, as the result cache's does: a trace run leaves nothing for git to show."""
    folder = Path(root) / RESULT_DIR
    payload = to_json(report, program, exit_code, absolute=True)
    payload["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by gradguard trace: the whole folder is its last result.\n*\n", encoding="utf-8")
        target = folder / RESULT_FILE
        tmp = folder / (RESULT_FILE + ".tmp")
        tmp.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
        return str(target)
    except OSError:
        return None
