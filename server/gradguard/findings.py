"""What the analysis reports: findings with their locations, related locations and fixes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    ERROR = "error"  # torch will raise on this path
    WARNING = "warning"  # silent corruption, or depends on the caller
    INFORMATION = "information"  # risk or style
    HINT = "hint"

    @classmethod
    def parse(cls, text: str) -> "Severity":
        aliases = {"info": "information", "warn": "warning"}
        return cls(aliases.get(text.lower(), text.lower()))


@dataclass(frozen=True)
class Span:
    """1-based lines, 1-based columns counted in characters; end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Related:
    span: Span
    message: str
    path: str | None = None  # None: the same file as the finding


@dataclass(frozen=True)
class TextEdit:
    span: Span
    new_text: str
    path: str | None = None  # None: the file of the finding; else another workspace file (absolute path)


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    preferred: bool = False
    safe: bool = True  # unsafe fixes may change what the program computes


@dataclass
class Finding:
    code: str
    severity: Severity
    message: str
    span: Span
    related: list[Related] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    # The abstract-interpretation facts behind the finding, for hovers: short sentences.
    explanation: list[str] = field(default_factory=list)
    # Set when the finding holds only if something outside the analysed code is so (the caller's grad mode,
    # whether an argument requires grad): reported only in strict mode, as information.
    depends_on: str | None = None
    # The sizes of the tensor torch will name in its error ("[torch.FloatTensor [2, 3]]"), when all are known.
    tensor_shape: tuple[int, ...] | None = None
    # What the fix builder needs (the AST nodes involved); never serialised.
    context: object = field(default=None, repr=False, compare=False)

    def sort_key(self):
        return (self.span.line, self.span.column, self.code)


@dataclass
class Analysis:
    """What analysing one file gives: its findings, or why (part of) it could not be analysed."""

    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # e.g. "syntax error at line 3, column 7: invalid syntax"
    error_line: int | None = None
    dependencies: list[str] = field(default_factory=list)  # other workspace files followed (absolute paths)
    # Every other workspace file the analysis read (to follow an import chain through it too) -> the digest of
    # the bytes it read, or None when it could not use the file (absent, unreadable, not parseable).
    consulted: dict[str, str | None] = field(default_factory=dict)
    # (project root, module names) when callers in other files decided findings (gradguard/callers.py): every file
    # of the root whose import lines name one of them is in `consulted`, and a file that starts to must re-analyse
    importers: tuple[str, list[str]] | None = None
    timed_out: bool = False  # the time limit, or jedi's budget, cut it short: another run may find more
    stopped: bool = False  # the watchdog stopped it (analysis/watchdog.py): a gradguard bug, `error` says so


_LINE_BREAK = __import__("re").compile(r"\r\n|\r|\n")
# What str.splitlines breaks at besides \n: in a text with none of these it splits where Python does.
# (Looked for one by one with `in`: a regex character class scans a 5k-line file in 0.5 ms, `in` 50x faster.)
_OTHER_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def source_lines(source: str, keepends: bool = False) -> list[str]:
    """The lines as Python numbers them: broken only at \\n, \\r\\n and \\r (str.splitlines also breaks at form
    feeds, \\u2028 and other characters that are not line ends for the parser, which would shift every later line)."""
    if not any(ch in source for ch in _OTHER_BREAKS):  # the usual text: str.splitlines breaks exactly there, and fast
        return source.splitlines(keepends)
    if not keepends:
        parts = _LINE_BREAK.split(source)
        if parts and parts[-1] == "":
            parts.pop()
        return parts
    out, start = [], 0
    for m in _LINE_BREAK.finditer(source):
        out.append(source[start:m.end()])
        start = m.end()
    if start < len(source):
        out.append(source[start:])
    return out
