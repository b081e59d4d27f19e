"""Positions: the engine counts 1-based lines and code-point columns, LSP counts 0-based lines and
code units of the negotiated encoding (UTF-16 unless the client asked for another one).

Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` only, as in the LSP spec and Python's tokenizer (not at
``\\x0c`` or ``\\u2028``, which ``str.splitlines`` would split on).
"""

from __future__ import annotations

import re
from itertools import accumulate
from dataclasses import dataclass

from lsprotocol import types

from ..findings import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their terminators; "a\\n" has two lines, "a" and ""."""
    return _NEWLINE.split(text)


def units(text: str, encoding: str) -> int:
    """How many code units `text` takes in the client's position encoding."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def units_to_cp(line: str, count: int, encoding: str) -> int:
    """The code-point column in `line` at `count` code units (clamped to the line; a position inside
    a character, e.g. between the halves of a surrogate pair, means that character)."""
    if count <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(count, len(line))
    seen = 0
    for index, char in enumerate(line):
        seen += units(char, encoding)
        if seen > count:  # `count` falls at the start or in the middle of this character
            return index
    return len(line)


class LineIndex:
    """A text with fast conversions between offsets, LSP positions and engine spans."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        if "\r" not in text:  # the usual text, on every keystroke: str.split and accumulate run in C
            self.lines = text.split("\n")
            self.starts = list(accumulate([len(line) + 1 for line in self.lines[:-1]], initial=0))
            return
        self.lines = split_lines(text)
        self.starts = [0]
        for match in _NEWLINE.finditer(text):
            self.starts.append(match.end())

    def line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    # -- LSP positions --------------------------------------------------------------------------

    def offset(self, position: types.Position) -> int:
        """The string offset of an LSP position, clamped into the text."""
        line = max(position.line, 0)
        if line >= len(self.lines):
            return len(self.text)
        text = self.lines[line]
        return self.starts[line] + units_to_cp(text, position.character, self.encoding)

    def position(self, offset: int) -> types.Position:
        offset = min(max(offset, 0), len(self.text))
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line start <= offset
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        column = min(offset - self.starts[lo], len(self.lines[lo]))
        return types.Position(line=lo, character=units(self.lines[lo][:column], self.encoding))

    def cp_position(self, position: types.Position) -> tuple[int, int]:
        """(1-based line, 1-based code-point column) of an LSP position, clamped."""
        line = min(max(position.line, 0), len(self.lines) - 1)
        return line + 1, units_to_cp(self.lines[line], position.character, self.encoding) + 1

    # -- engine spans ---------------------------------------------------------------------------

    def _point(self, line: int, column: int) -> types.Position:
        index = line - 1
        if index < 0:
            return types.Position(line=0, character=0)
        if index >= len(self.lines):
            last = len(self.lines) - 1
            return types.Position(line=last, character=units(self.lines[last], self.encoding))
        text = self.lines[index]
        column = min(max(column - 1, 0), len(text))
        return types.Position(line=index, character=units(text[:column], self.encoding))

    def span_range(self, span: Span) -> types.Range:
        start = self._point(span.line, span.column)
        end = self._point(span.end_line, span.end_column)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return types.Range(start=start, end=end)

    def end_position(self) -> types.Position:
        return self.position(len(self.text))


def apply_change(text: str, change, encoding: str) -> tuple[str, "Edit"]:
    """Apply one didChange content change; returns the new text and the edit, for moving ranges."""
    rng = getattr(change, "range", None)
    if rng is None:
        return change.text, full_replacement_edit(text, change.text, encoding)
    index = LineIndex(text, encoding)
    start, end = index.offset(rng.start), index.offset(rng.end)
    if end < start:
        start, end = end, start
    edit = Edit(index.position(start), index.position(end), change.text, encoding)
    return text[:start] + change.text + text[end:], edit


@dataclass
class Edit:
    """A replacement of the range [start, end) (LSP positions in the text before) by `text`."""

    start: types.Position
    end: types.Position
    text: str
    encoding: str

    def new_end(self) -> types.Position:
        lines = split_lines(self.text)
        if len(lines) == 1:
            return types.Position(self.start.line, self.start.character + units(self.text, self.encoding))
        return types.Position(self.start.line + len(lines) - 1, units(lines[-1], self.encoding))


def _key(p: types.Position) -> tuple[int, int]:
    return (p.line, p.character)


def move_range(rng: types.Range, edit: Edit, new_end: types.Position) -> types.Range | None:
    """Where `rng` is after `edit`; None when the edit touches it (replaces part of it)."""
    s, e = _key(edit.start), _key(edit.end)
    a, b = _key(rng.start), _key(rng.end)
    if b <= s:  # entirely before the edit (or ends where it starts)
        return rng
    if a >= e:  # entirely after the edit
        return types.Range(start=_shift(rng.start, edit, new_end), end=_shift(rng.end, edit, new_end))
    return None


def _shift(p: types.Position, edit: Edit, new_end: types.Position) -> types.Position:
    if p.line == edit.end.line:
        return types.Position(new_end.line, new_end.character + (p.character - edit.end.character))
    return types.Position(p.line + (new_end.line - edit.end.line), p.character)


def full_replacement_edit(old: str, new: str, encoding: str) -> Edit:
    """The smallest whole-line edit turning `old` into `new` (for full-text didChange and fix-all)."""
    old_lines = _keepends(old)
    new_lines = _keepends(new)
    prefix = 0
    limit = min(len(old_lines), len(new_lines))
    while prefix < limit and old_lines[prefix] == new_lines[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and old_lines[len(old_lines) - 1 - suffix] == new_lines[len(new_lines) - 1 - suffix]
    ):
        suffix += 1
    start_offset = sum(len(line) for line in old_lines[:prefix])
    end_offset = len(old) - sum(len(line) for line in old_lines[len(old_lines) - suffix:])
    new_start = sum(len(line) for line in new_lines[:prefix])
    new_stop = len(new) - sum(len(line) for line in new_lines[len(new_lines) - suffix:])
    index = LineIndex(old, encoding)
    return Edit(index.position(start_offset), index.position(end_offset), new[new_start:new_stop], encoding)


def _keepends(text: str) -> list[str]:
    out, last = [], 0
    for match in _NEWLINE.finditer(text):
        out.append(text[last:match.end()])
        last = match.end()
    if last < len(text):
        out.append(text[last:])
    return out
