"""Parse the line markers of the rule example programs (``server/gradguard/rules/examples/<CODE>/*.py``).

A marker is a comment at the end of a line:

    x += 1  # expect GG101; torch raises: a leaf Variable that requires grad
    y += 1  # expect GG201
    loss.backward()  # torch raises: one of the variables needed for gradient computation

``expect CODE[, CODE...]`` is a finding gradguard must report on that line. ``torch raises: TEXT`` says torch
raises from that line with a message containing TEXT (TEXT runs to the end of the line and may itself
contain ``;``). Only real comments count (found with ``tokenize``), never text inside strings.

This module imports neither torch nor gradguard; the analyzer's tests reuse it.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

CODE_RE = re.compile(r"GG\d{3}")
_EXPECT_RE = re.compile(r"^expect\s+(GG\d{3}(?:\s*,\s*GG\d{3})*)\s*(?:;\s*(.*))?$")
_RAISES_RE = re.compile(r"^torch raises:\s*(.+?)\s*$")


class MarkerError(ValueError):
    """A comment that looks like a marker but does not follow the format."""


@dataclass
class ExampleMarkers:
    expect: dict[int, set[str]] = field(default_factory=dict)  # 1-based line -> rule codes
    raises: dict[int, str] = field(default_factory=dict)  # 1-based line -> message substring

    @property
    def codes(self) -> set[str]:
        return set().union(*self.expect.values()) if self.expect else set()


def _parse_comment(text: str, line: int, markers: ExampleMarkers, where: str) -> None:
    body = text.lstrip("#").strip()
    if not (body.startswith("expect") or body.startswith("torch raises")):
        return
    rest: str | None = body
    m = _EXPECT_RE.match(body)
    if m:
        codes = {c.strip() for c in m.group(1).split(",")}
        markers.expect.setdefault(line, set()).update(codes)
        rest = m.group(2)
        if rest is None:
            return
    elif body.startswith("expect"):
        raise MarkerError(f"{where}:{line}: malformed expect marker: {text!r}")
    m = _RAISES_RE.match(rest.strip())
    if not m:
        raise MarkerError(f"{where}:{line}: malformed marker: {text!r}")
    if line in markers.raises:
        raise MarkerError(f"{where}:{line}: two 'torch raises' markers on one line")
    markers.raises[line] = m.group(1)


def parse_markers_text(source: str, where: str = "<string>") -> ExampleMarkers:
    markers = ExampleMarkers()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            _parse_comment(tok.string, tok.start[0], markers, where)
    return markers


def parse_markers(path: str | Path) -> ExampleMarkers:
    path = Path(path)
    return parse_markers_text(path.read_text(encoding="utf-8"), str(path))


def strip_markers(source: str) -> str:
    """The source with every marker comment removed (used to compare a bad example with its twin)."""
    lines = source.splitlines(keepends=True)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        body = tok.string.lstrip("#").strip()
        if body.startswith("expect") or body.startswith("torch raises"):
            row, col = tok.start
            line = lines[row - 1]
            end = "\n" if line.endswith("\n") else ""
            lines[row - 1] = line[:col].rstrip() + end
    return "".join(lines)


def is_wrongness_check(source: str, line: int | None) -> bool:
    """Line ``line`` is a bad example's own proof that its gradient is silently wrong
    (``assert not torch.allclose(...)  # silently wrong``): a right fix makes exactly this assertion fail."""
    lines = source.splitlines()
    return line is not None and 1 <= line <= len(lines) and lines[line - 1].lstrip().startswith("assert not") and \
        "silently wrong" in lines[line - 1]
