"""Findings to LSP objects: diagnostics, hovers, quick fixes, noqa suppressions. Pure functions."""

from __future__ import annotations

import io
import os
import re
import tokenize
from dataclasses import dataclass, field
from typing import Callable, Optional

from lsprotocol import types

from ..findings import Finding, Fix, Severity
from ..rules import RULES, SAVED_HINT, SAVED_PREFIX
from .text import LineIndex

SOURCE = "gradguard"
FIX_ALL_KIND = "source.fixAll.gradguard"

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


@dataclass
class Entry:
    """One finding as shown in the editor. `diagnostic` ranges follow the edits of the buffer."""

    finding: Finding
    diagnostic: types.Diagnostic
    # Each fix with its edits in LSP coordinates of the analysed text (valid only while fresh).
    fixes: list[tuple[Fix, list[types.TextEdit]]] = field(default_factory=list)
    uri: Optional[str] = None  # a notebook's entry: the cell it is shown on (ranges and edits are the cell's)
    # A fix's edits of other workspace files (`inplace=False` where a module is built): fix -> {uri: edits}.
    elsewhere: dict = field(default_factory=dict)

    def changes(self, uri: str, fix: Fix, edits: list[types.TextEdit]) -> dict[str, list[types.TextEdit]]:
        """The WorkspaceEdit changes of one of the fixes: its edits of `uri`, and of the other files it edits."""
        out = {uri: edits} if edits or not self.elsewhere.get(fix) else {}
        out.update(self.elsewhere.get(fix, {}))
        return out


def stop_notices(analysis) -> list[types.Diagnostic]:
    """The watchdog stopped the analysis (a gradguard bug, analysis/watchdog.py): its message, shown on line 1 beside
    the findings of the scopes walked before the stop."""
    if not getattr(analysis, "stopped", False):
        return []
    start = types.Position(0, 0)
    return [types.Diagnostic(range=types.Range(start, start), message=analysis.error,
                             severity=types.DiagnosticSeverity.Warning, source=SOURCE)]


def preferred(fix: Fix) -> bool:
    """A code action's isPreferred: only the safe preferred fix; every other choice says false."""
    return bool(fix.preferred and fix.safe)


def _range_json(rng: types.Range) -> dict:
    return {
        "start": {"line": rng.start.line, "character": rng.start.character},
        "end": {"line": rng.end.line, "character": rng.end.character},
    }


def related_uri(path: str, doc_path: Optional[str]) -> str:
    from pygls.uris import from_fs_path

    if not os.path.isabs(path) and doc_path:
        path = os.path.join(os.path.dirname(doc_path), path)
    return from_fs_path(os.path.normpath(path)) or path


def build_entries(
    findings: list[Finding],
    index: LineIndex,
    uri: str,
    doc_path: Optional[str],
    version: Optional[int],
    load_other: Callable[[str], Optional[LineIndex]] = lambda path: None,
) -> list[Entry]:
    entries = []
    for finding in findings:
        rng = index.span_range(finding.span)
        related = []
        for rel in finding.related:
            if rel.path is None or (doc_path and os.path.abspath(rel.path) == os.path.abspath(doc_path)):
                rel_uri, rel_range = uri, index.span_range(rel.span)
            else:
                rel_uri = related_uri(rel.path, doc_path)
                other = load_other(rel.path)
                rel_range = other.span_range(rel.span) if other else LineIndex("", index.encoding).span_range(rel.span)
                if other is None:  # unknown text: keep the code-point columns as they are
                    rel_range = types.Range(
                        start=types.Position(max(rel.span.line - 1, 0), max(rel.span.column - 1, 0)),
                        end=types.Position(max(rel.span.end_line - 1, 0), max(rel.span.end_column - 1, 0)),
                    )
            related.append(
                types.DiagnosticRelatedInformation(location=types.Location(uri=rel_uri, range=rel_range), message=rel.message)
            )
        fixes = []
        elsewhere: dict = {}
        for fix in finding.fixes:
            mine = [e for e in fix.edits if e.path is None or (doc_path and os.path.abspath(e.path) ==
                                                                os.path.abspath(doc_path))]
            edits = [types.TextEdit(range=index.span_range(e.span), new_text=e.new_text) for e in mine]
            others: dict[str, list[types.TextEdit]] = {}
            for e in fix.edits:
                if e in mine:
                    continue
                other = load_other(e.path)
                if other is None:  # the other file cannot be read: its ranges are unknown, so no such fix
                    others = None
                    break
                others.setdefault(related_uri(e.path, doc_path), []).append(
                    types.TextEdit(range=other.span_range(e.span), new_text=e.new_text))
            if others is None:
                continue
            if others:
                elsewhere[fix] = others
            fixes.append((fix, edits))
        rule = RULES.get(finding.code)
        diagnostic = types.Diagnostic(
            range=rng,
            message=finding.message,
            severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
            code=finding.code,
            code_description=types.CodeDescription(href=rule.url) if rule else None,
            source=SOURCE,
            related_information=related or None,
            data={
                "code": finding.code,
                "version": version,
                "fixes": [
                    {
                        "title": fix.title,
                        "preferred": fix.preferred,
                        "safe": fix.safe,
                        "edits": [{"range": _range_json(e.range), "newText": e.new_text} for e in edits] + [
                            {"uri": other, "range": _range_json(e.range), "newText": e.new_text}
                            for other, more in elsewhere.get(fix, {}).items() for e in more],
                    }
                    for fix, edits in fixes
                ],
            },
        )
        entries.append(Entry(finding, diagnostic, fixes, elsewhere=elsewhere))
    return entries


# -- hover ----------------------------------------------------------------------------------------

_RAISES = re.compile(r"\b(raise[sd]?|fails?|error)\b", re.IGNORECASE)


def raise_line(finding: Finding) -> Optional[int]:
    """The 1-based line where torch will print its error, if it prints one."""
    rule = RULES.get(finding.code)
    if rule is not None and rule.torch_prints.lower().startswith("nothing"):
        return None
    explicit = getattr(finding, "raises_at", None)  # if the engine ever says it outright
    if explicit is not None:
        return explicit.line
    for rel in finding.related:
        if rel.path is None and _RAISES.search(rel.message):
            return rel.span.line
    if finding.code.startswith("GG2"):  # saved tensor: the backward() that needs it fails
        for rel in finding.related:
            if rel.path is None and "backward" in rel.message.lower():
                return rel.span.line
    return finding.span.line


def torch_says(finding: Finding, example: str) -> str:
    """torch's message for this finding. The rule's example names a tensor `[torch.FloatTensor [3]]`, the op
    that saved it and the version numbers, which differ from case to case: quote the tensor with this finding's
    shape when the analysis knows it, and leave out what it does not know."""
    if not example.startswith("RuntimeError: " + SAVED_PREFIX):
        return example
    tensor = f"[torch.FloatTensor [{', '.join(map(str, finding.tensor_shape))}]], … " \
        if finding.tensor_shape is not None else "… "
    return f"RuntimeError: {SAVED_PREFIX}{tensor}{SAVED_HINT}"


def hover_markdown(finding: Finding, index: LineIndex, markdown: bool = True,
                   place: Callable[[int], str] = lambda line: f"line {line}") -> str:
    """`place` names a line of `index` (a notebook's program names them "cell 3, line 2")."""
    rule = RULES.get(finding.code)
    out = []
    if rule:
        title = f"[{finding.code} {rule.name}]({rule.url})" if markdown else f"{finding.code} {rule.name}"
    else:
        title = finding.code
    out.append(f"**{title}** ({finding.severity.value})" if markdown else f"{title} ({finding.severity.value})")
    out.append(finding.message)
    bullets = list(finding.explanation)
    for rel in finding.related:
        where = place(rel.span.line) if rel.path is None else f"{os.path.basename(rel.path)}:{rel.span.line}"
        bullets.append(f"{where}: {rel.message}")
    if bullets:
        out.append("\n".join(f"- {b}" for b in bullets))
    if rule:
        line = raise_line(finding)
        if line is None:
            out.append(f"torch prints nothing: {rule.torch_prints.removeprefix('Nothing: ')}")
        else:
            code_line = index.line(line - 1).strip()
            where = f"at {place(line)}" + (f" (`{code_line}`)" if markdown and code_line and "`" not in code_line else "")
            said = torch_says(finding, rule.torch_prints)
            block = f"```text\n{said}\n```" if markdown else said
            out.append(f"torch will raise {where}:\n{block}")
        out.append(("**Why:** " if markdown else "Why: ") + rule.why)
    return "\n\n".join(out)


# -- noqa -----------------------------------------------------------------------------------------

_NOQA = re.compile(r"#\s*noqa(?P<sep>\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,?\s*[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)


class CommentMap:
    """Where the comments are, and which lines cannot take a trailing comment."""

    def __init__(self, text: str):
        self.comments: dict[int, int] = {}  # 0-based line -> code-point column of '#'
        self.no_comment: set[int] = set()  # line ends inside a string or with a backslash continuation
        self.known_until = -1  # tokenize got this far (0-based line); later lines use a plain scan
        normal = text.replace("\r\n", "\n").replace("\r", "\n")
        try:
            for tok in tokenize.generate_tokens(io.StringIO(normal).readline):
                if tok.type == tokenize.COMMENT:
                    self.comments[tok.start[0] - 1] = tok.start[1]
                elif tok.start[0] < tok.end[0] and tok.type not in (tokenize.NL, tokenize.NEWLINE):
                    self.no_comment.update(range(tok.start[0] - 1, tok.end[0] - 1))
                self.known_until = max(self.known_until, tok.start[0] - 2)
        except (tokenize.TokenError, SyntaxError, ValueError):
            pass
        else:
            self.known_until = 1 << 30

    def comment_column(self, line_no: int, line: str) -> Optional[int]:
        if line_no <= self.known_until:
            return self.comments.get(line_no)
        quote = None
        for i, char in enumerate(line):  # good enough while the buffer does not tokenize
            if quote:
                if char == quote:
                    quote = None
            elif char in "'\"":
                quote = char
            elif char == "#":
                return i
        return None


def noqa_edit(index: LineIndex, line_no: int, code: str, comments: CommentMap) -> Optional[types.TextEdit]:
    """The edit that makes `# noqa` cover `code` on 0-based line `line_no`; None if it cannot."""
    if not 0 <= line_no < len(index.lines) or line_no in comments.no_comment:
        return None
    line = index.lines[line_no]
    enc = index.encoding
    from .text import units

    column = comments.comment_column(line_no, line)
    if column is not None:
        match = _NOQA.search(line, column)
        if match:
            if not match.group("codes"):
                return None  # a bare noqa comment already silences everything on the line
            present = {c.upper() for c in re.findall(r"[A-Za-z]+[0-9]+", match.group("codes"))}
            if code.upper() in present:
                return None
            at = units(line[: match.end("codes")], enc)
            pos = types.Position(line_no, at)
            return types.TextEdit(range=types.Range(start=pos, end=pos), new_text=f", {code}")
    elif line.rstrip().endswith("\\"):
        return None
    stripped = len(line.rstrip())
    start = types.Position(line_no, units(line[:stripped], enc))
    end = types.Position(line_no, units(line, enc))
    return types.TextEdit(range=types.Range(start=start, end=end), new_text=f"  # noqa: {code}")


# -- fix-all --------------------------------------------------------------------------------------


def _overlaps(a: types.Range, b: types.Range) -> bool:
    a0, a1 = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b0, b1 = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a0 == b0 or (a0 < b1 and b0 < a1)


def fix_all_edits(entries: list[Entry]) -> list[types.TextEdit]:
    """The edits of every safe preferred fix, skipping a fix that would collide with one already taken."""
    chosen: list[types.TextEdit] = []
    for entry in sorted(entries, key=lambda e: e.finding.sort_key()):
        for fix, edits in entry.fixes:
            if not (fix.preferred and fix.safe) or not edits or fix in entry.elsewhere:
                continue  # a fix that edits another file too is offered on its own, never with the others
            if any(_overlaps(e.range, c.range) for e in edits for c in chosen):
                continue
            chosen.extend(edits)
            break
    return chosen


def kind_requested(kind: str, only: Optional[list]) -> bool:
    if not only:
        return True
    for wanted in only:
        wanted = getattr(wanted, "value", wanted)
        if kind == wanted or kind.startswith(f"{wanted}."):
            return True
    return False


def move_entries(entries: list, uri: str, edit, belongs=None) -> list:
    """Entries shown on `uri` follow an edit of its text (dropped where the edit touches them), and so do their
    related locations on `uri`. `belongs(entry)`: which entries are shown on `uri` (default: all of them)."""
    from .text import move_range

    new_end = edit.new_end()
    kept = []
    for entry in entries:
        if belongs is not None and not belongs(entry):
            kept.append(entry)
            continue
        diag = entry.diagnostic
        moved = move_range(diag.range, edit, new_end)
        if moved is None:
            continue
        diag.range = moved
        if diag.related_information:
            related = []
            for info in diag.related_information:
                if info.location.uri != uri:
                    related.append(info)
                    continue
                rng = move_range(info.location.range, edit, new_end)
                if rng is not None:
                    info.location.range = rng
                    related.append(info)
            diag.related_information = related or None
        kept.append(entry)
    return kept
