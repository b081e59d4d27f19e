"""The latest `gradguard trace` run, shown as diagnostics (source "gradguard trace") on the open files it names.

`gradguard trace` writes `<project>/.gradguard_trace/last.json` (see gradguard/trace/report.py). For an open
file the nearest such result above it is read (cached by modification time) and its findings for that file are
shown while they can still be trusted: the buffer is the file on disk, and the file was not modified after the
run. Once the file is edited they are dropped: trace saw the old lines. The server polls the result files it has
read, so a run that ends while the file is open shows up without an edit. Nothing here runs the program or
imports torch: the run is the user's own `gradguard trace`.
"""

from __future__ import annotations

import json
import os
from typing import Callable, Optional

from lsprotocol import types

from ..findings import Span
from .features import SEVERITY, related_uri
from .text import LineIndex

SOURCE = "gradguard trace"
RESULT = os.path.join(".gradguard_trace", "last.json")
POLL_SECONDS = 2.0
_SEVERITY_BY_NAME = {s.value: level for s, level in SEVERITY.items()}


class TraceResults:
    def __init__(self) -> None:
        self._results: dict[str, tuple[float, dict[str, list[dict]]]] = {}  # result file -> (mtime, by real path)
        self._found: dict[str, Optional[str]] = {}  # folder -> its nearest result file (None: none above it)

    # ------------------------------------------------------------------ reading
    def result_file(self, path: str) -> Optional[str]:
        return self._result_above(os.path.dirname(path))

    def _result_above(self, folder: str) -> Optional[str]:
        if folder in self._found:
            return self._found[folder]
        found = self._found[folder] = _nearest_result(folder)
        return found

    def _load(self, result: str) -> tuple[float, dict[str, list[dict]]]:
        try:
            mtime = os.stat(result).st_mtime
        except OSError:
            self._results.pop(result, None)
            return 0.0, {}
        cached = self._results.get(result)
        if cached is not None and cached[0] == mtime:
            return cached
        by_path: dict[str, list[dict]] = {}
        try:
            with open(result, encoding="utf-8") as fh:
                payload = json.load(fh)
            for finding in payload.get("findings", []):
                if isinstance(finding, dict) and isinstance(finding.get("path"), str):
                    by_path.setdefault(os.path.realpath(finding["path"]), []).append(finding)
        except (OSError, ValueError, AttributeError):  # half-written or not ours: show nothing, keep serving
            by_path = {}
        self._results[result] = (mtime, by_path)
        return mtime, by_path

    def findings_for(self, real_path: str, text: str) -> list[dict]:
        """The trace findings for this file, if its buffer is still what the run executed."""
        if not real_path:
            return []
        result = self.result_file(real_path)
        if result is None:
            return []
        mtime, by_path = self._load(result)
        findings = by_path.get(real_path)
        if not findings:
            return []
        try:
            if os.stat(real_path).st_mtime > mtime:
                return []
            with open(real_path, encoding="utf-8", newline="") as fh:
                if fh.read() != text:
                    return []
        except (OSError, UnicodeDecodeError):
            return []
        return findings

    def diagnostics(self, real_path: str, text: str, encoding: str) -> list[types.Diagnostic]:
        findings = self.findings_for(real_path, text)
        if not findings:
            return []
        index = LineIndex(text, encoding)
        out = []
        for f in findings:
            try:
                out.append(_diagnostic(f, index, real_path))
            except (KeyError, TypeError, ValueError):
                continue
        return out

    # ------------------------------------------------------------------ noticing a new run
    def changed(self) -> bool:
        """Has a result file read before been written again (or removed) since, or has a run left one nearer to
        a folder looked up before (the first run in a project, while its files are open)?"""
        looked_up, self._found = self._found, {}
        for folder, found in looked_up.items():
            if self._result_above(folder) != found:
                return True
        for result, (mtime, _) in list(self._results.items()):
            try:
                now = os.stat(result).st_mtime
            except OSError:
                now = 0.0
            if now != mtime:
                return True
        return False

    def poll(self, loop, republish: Callable[[], None]) -> None:
        """Every POLL_SECONDS: republish the open documents when a result file changed."""
        def tick() -> None:
            try:
                if self.changed():
                    republish()
            finally:
                loop.call_later(POLL_SECONDS, tick)
        loop.call_later(POLL_SECONDS, tick)


def _nearest_result(folder: str) -> Optional[str]:
    here = folder
    while True:
        candidate = os.path.join(here, RESULT)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _span(item: dict) -> Span:
    line = int(item["line"])
    return Span(line, int(item.get("column", 1)), int(item.get("end_line", line)), int(item.get("end_column", 1)))


def _diagnostic(f: dict, index: LineIndex, doc_path: str) -> types.Diagnostic:
    related = []
    for r in f.get("related", []):
        path = r.get("path") or doc_path
        if os.path.realpath(path) == doc_path:
            rng = index.span_range(_span(r))
        else:
            s = _span(r)
            rng = types.Range(start=types.Position(max(s.line - 1, 0), max(s.column - 1, 0)),
                              end=types.Position(max(s.end_line - 1, 0), max(s.end_column - 1, 0)))
        related.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=related_uri(path, doc_path), range=rng), message=str(r.get("message", ""))))
    message = str(f["message"])
    if f.get("static"):
        message += f" [{f['static']}]"
    return types.Diagnostic(
        range=index.span_range(_span(f)),
        message=message,
        severity=_SEVERITY_BY_NAME.get(f.get("severity"), types.DiagnosticSeverity.Warning),
        code=f.get("code"),
        code_description=types.CodeDescription(href=f["url"]) if f.get("url") else None,
        source=SOURCE,
        related_information=related or None,
    )
