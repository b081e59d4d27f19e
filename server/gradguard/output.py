"""What `gradguard check` prints: a file's result, places as `path:line:col`, and the text, JSON and SARIF formats
(shared by `gradguard trace`, whose findings are the same)."""

from __future__ import annotations

import os
from pathlib import Path

from . import __version__
from .cli_report import summary
from .findings import Finding, Severity
from .rules import RULES


class FileResult:
    __slots__ = ("path", "findings", "error", "source", "notebook", "cacheable")

    def __init__(self, path, findings=(), error=None, source=None, notebook=None, cacheable=None):
        self.path = path
        self.findings = list(findings)
        self.error = error
        self.source = source
        self.notebook = notebook  # notebook.Program for a .ipynb: findings are in its (program) lines
        # (digest of the text, other files consulted) of a complete analysis, for the result cache; None: not kept
        self.cacheable = cacheable


# ---------------------------------------------------------------------------- positions
def display_path(path: str) -> str:
    """Another file of the project, as the user would write it: relative to the current folder when inside it."""
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
        if not rel.startswith(os.pardir):
            return rel
    return path


def where(res: FileResult, path: str | None, line: int, column: int) -> str:
    """`path:line:col`, or `path:cell N, line L:col` for a place in a notebook."""
    if path is not None and not same_file(path, res.path):
        return f"{display_path(path)}:{line}:{column}"
    if res.notebook is not None:
        at = res.notebook.locate(line)
        if at is not None:
            return f"{res.path}:cell {at[0]}, line {at[1]}:{column}"
    return f"{res.path}:{line}:{column}"


def edit_path(edit_path_: str | None, path: str) -> dict:
    """`{"path": ...}` for a fix edit in another file of the project (`inplace=False` where a module is built)."""
    return {"path": display_path(edit_path_)} if edit_path_ and not same_file(edit_path_, path) else {}


def same_file(a: str, b: str) -> bool:
    return a == b or os.path.abspath(a) == os.path.abspath(b)


def cell_place(res: FileResult, line: int) -> tuple[int | None, int]:
    """(cell number or None, line in the cell) of a program line of a notebook result."""
    if res.notebook is not None:
        at = res.notebook.locate(line)
        if at is not None:
            return at
    return None, line


# ---------------------------------------------------------------------------- output formats
def finding_dict(path: str, f: Finding, res: FileResult | None = None) -> dict:
    """One finding as JSON. In a notebook, `line`/`end_line` count in the cell `cell` (1-based, every cell
    counted, markdown ones too), and so do the related locations and fix edits inside the notebook."""
    rule = RULES.get(f.code)
    nb = res is not None and res.notebook is not None

    def place(span, out: dict, other: str | None = None) -> dict:
        if nb and other is None:
            cell, line = cell_place(res, span.line)
            end_cell, end_line = cell_place(res, span.end_line)
            if cell is not None:
                out["cell"] = cell
            out.update(line=line, column=span.column, end_line=end_line if end_cell == cell else line,
                       end_column=span.end_column)
        else:
            out.update(line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column)
        return out

    out = {"path": path}
    place(f.span, out)
    out.update({
        "code": f.code,
        "name": rule.name if rule else None,
        "severity": f.severity.value,
        "message": f.message,
        "url": rule.url if rule else None,
        "related": [
            place(r.span, {"path": display_path(r.path) if r.path and not same_file(r.path, path) else path},
                  r.path if r.path and not same_file(r.path, path) else None) | {"message": r.message}
            for r in f.related
        ],
        "fixes": [
            {"title": fx.title, "preferred": fx.preferred, "safe": fx.safe,
             "edits": [place(e.span, {}, e.path) | {"new_text": e.new_text} | edit_path(e.path, path) for e in fx.edits]}
            for fx in f.fixes
        ],
    })
    return out


SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note",
               Severity.HINT: "note"}


def sarif(results: list[FileResult]) -> dict:
    rules = [
        {"id": r.code, "name": r.name, "shortDescription": {"text": r.summary}, "fullDescription": {"text": r.why},
         "helpUri": r.url, "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
         "help": {"text": f"{r.why}\n\nWhat torch prints: {r.torch_prints}\n\nUse instead: {r.use_instead}"}}
        for r in RULES.values()
    ]
    index = {r["id"]: i for i, r in enumerate(rules)}

    def region(span, res=None):
        out = {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
               "endColumn": span.end_column}
        if res is not None and res.notebook is not None:  # a notebook: the line in its cell, the cell as a property
            cell, line = cell_place(res, span.line)
            if cell is not None:
                out.update(startLine=line, endLine=line + span.end_line - span.line,
                           properties={"cell": cell})
        return out

    out = []
    notifications = []
    for res in results:
        uri = Path(res.path).as_posix()
        if res.error and not res.findings:
            notifications.append({"level": "error", "message": {"text": f"{res.path}: {res.error}"},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
        for f in res.findings:
            out.append({
                "ruleId": f.code, "ruleIndex": index.get(f.code, 0), "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                    "region": region(f.span, res)}}],
                "relatedLocations": [
                    {"id": i, "message": {"text": r.message}, "physicalLocation": {
                        "artifactLocation": {"uri": Path(display_path(r.path)).as_posix()
                                             if r.path and not same_file(r.path, res.path) else uri},
                        "region": region(r.span, None if r.path and not same_file(r.path, res.path) else res)}}
                    for i, r in enumerate(f.related)
                ],
            })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "gradguard", "version": __version__,
                                "informationUri": "https://github.com/gradguard/gradguard", "rules": rules}},
            "results": out,
            "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        }],
    }


def write_finding(res: FileResult, f: Finding, out) -> None:
    """`path:line:col: CODE [severity] message`, then each related location indented."""
    out.write(f"{where(res, None, f.span.line, f.span.column)}: {f.code} [{f.severity.value}] {f.message}\n")
    for r in f.related:
        out.write(f"    {where(res, r.path, r.span.line, r.span.column)}: {r.message}\n")


def print_text(results: list[FileResult], out, missing: int = 0, paths: list[str] = ()) -> None:
    counts = {}
    for res in results:
        for f in res.findings:
            write_finding(res, f, out)
            counts[f.severity] = counts.get(f.severity, 0) + 1
    # A file that could not be analysed, or a path that does not exist, is not "all clear" (the reasons are on stderr).
    failed = sum(1 for res in results if res.error and not res.findings)
    with_findings = sum(1 for res in results if res.findings)
    out.write(summary(counts, len(results), with_findings, failed, missing, list(paths) or ["."]) + "\n")
