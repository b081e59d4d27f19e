"""Half-typed code: parse the top-level blocks that do parse, so one broken function does not hide the others.

    module, broken = parse_partially(source)
    # module: an ast.Module of the blocks that parse, at their real line numbers (None if none does)
    # broken: [(first_line, last_line), ...] 1-based, inclusive: the blocks that do not

A top-level block starts at a line with no indentation that is not blank or a comment, not inside a
triple-quoted string or a bracket, not continued from the line before (a trailing backslash), not a clause of
the statement before (`else:`, `elif`, `except`, `finally:`), not something no statement starts with (`)`, `,`,
`.`...), and not a `def`/`class` that decorators above it belong to. Brackets and strings are tracked with a small lexer that never fails on broken text. An unclosed
bracket ends at a line at column 0 that can only start a statement (`def`, `class`, `import`, `from ... import`,
a decorator) or that follows an indented line, so `f(` typed in one function does not swallow the rest of the
file.

The split is a guess: a block that does not parse alone is retried together with the blocks after it (a string
or bracket with lines at column 0 inside it), a few at a time, and only when none of those parses is it broken.

What is kept, so that a skipped statement never makes a finding up: every block before the first broken one,
and after it only the blocks that define something (`def`, `class`, imports): a broken statement of the script
(`x = x.detach(`) could have changed what the statements after it see. With SCRIPT_AFTER_BROKEN_DEF, the script's
statements are kept too while every broken block is one `def` or `class` (with its decorators, and no other line
at column 0): such a block only leaves its name unknown, which the analysis treats like code from another file.
"""

from __future__ import annotations

import ast
import bisect
import re

from .. import pyparse
from ..findings import Analysis

MAX_MERGE = 12  # how many following blocks a block that does not parse alone is retried with
MAX_MERGE_LINES = 4000  # nor beyond this many lines
# Keep the script's statements after a broken block that is only a def/class (see the module docstring). Off: the
# language server would then replace the last good diagnostics by these (tests/lsp expect the old ones kept).
SCRIPT_AFTER_BROKEN_DEF = False

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_STRONG = re.compile(r"(?:async[ \t]+def|def|class)[ \t]|import[ \t]|from[ \t].*[ \t]import\b|@[ \t]*[A-Za-z_]")
_DEF = re.compile(r"(?:async[ \t]+def|def|class)[ \t]|@")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_CONTINUES = re.compile(r"[)\]},:=]|\.(?!\.\.)")  # what no statement starts with


def split_lines(source: str) -> list[str]:
    """Lines with their terminators, split where Python's tokenizer splits them (\\r\\n, \\r, \\n only)."""
    return _LINE.findall(source)


_TOKEN = re.compile(r"""[#()\[\]{}'"\\]""")


def _scan(line: str, quote: str | None, depth: int) -> tuple[str | None, int, bool]:
    """Lex one line: the open triple-quoted string and bracket depth after it, and whether it ends with a `\\`.

    Never fails: an unterminated one-line string ends at the end of the line, a stray closer is ignored. String
    prefixes (r, b, f...) do not matter: a string ends at the same quote whatever its prefix."""
    text = line.rstrip("\r\n")
    i, n = 0, len(text)
    while i < n:
        if quote is not None:  # inside a triple-quoted string
            m = _search_in_triple(text, i, quote)
            if m is None:
                return quote, depth, False
            if text[m] == "\\":
                i = m + 2
                continue
            i = m + 3
            quote = None
            continue
        m = _TOKEN.search(text, i)
        if m is None:
            break
        ch, i = m.group(), m.start()
        if ch == "#":
            return None, depth, False
        if ch == "\\":
            if i == n - 1:
                return None, depth, True
            i += 2
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif text.startswith(ch * 3, i):
            quote = ch * 3
            i += 3
            continue
        else:  # a one-line string
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" else 1
        i += 1
    return quote, depth, False


def _search_in_triple(text: str, i: int, quote: str) -> int | None:
    """The index of the next backslash or closing `quote` in `text` from `i`, or None."""
    end = text.find(quote, i)
    back = text.find("\\", i)
    if back != -1 and (end == -1 or back < end):
        return back
    return None if end == -1 else end


def block_starts(lines: list[str], column_0: list[int] | None = None) -> list[int]:
    """0-based indexes of the lines that start a top-level block (the first line always does).

    `column_0`, if given, receives the indexes of every line with code at column 0 (outside strings)."""
    starts = [0]
    quote, depth, continued = None, 0, False
    only_decorators = False  # the current block is decorators so far: a def/class after them belongs to it
    after_indented = False  # the last line with code on it was indented
    for index, line in enumerate(lines):
        text = line.rstrip("\r\n")
        at_column_0 = text[:1] not in ("", " ", "\t", "\x0c", "#")
        # `)` or `,` at column 0 continues what is open (a decorator's arguments...): it never starts a statement
        continues = _CONTINUES.match(text) is not None
        if column_0 is not None and at_column_0 and quote is None and not continued:
            column_0.append(index)
        # Inside an unclosed bracket, a line at column 0 still starts a block when the line before was indented
        # (`def f(:` then its body, then the next statement): valid code rarely dedents inside brackets.
        if quote is None and not continued and at_column_0 and not continues and (
                depth == 0 or after_indented or _STRONG.match(text)):
            depth = 0
            if _CLAUSE.match(text):
                only_decorators = False
            elif only_decorators and _DEF.match(text):
                only_decorators = text.startswith("@")
            else:
                if index:
                    starts.append(index)
                only_decorators = text.startswith("@")
        if quote is None and text.strip() and not text.lstrip().startswith("#"):
            after_indented = not at_column_0
        quote, depth, continued = _scan(line, quote, depth)
    return starts


def _parse(text: str) -> ast.Module | None:
    try:
        return pyparse.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def parse_partially(source: str, first_line: int = 1, keep_all: bool = False, whole_fails: bool = False
                    ) -> tuple[ast.Module | None, list[tuple[int, int]]]:
    """The top-level blocks of `source` that parse, as one Module at their real lines, and the broken ranges.

    `first_line`: the line of the file `source` starts at (the incremental path re-parses one region).
    `keep_all`: keep the script's statements after a broken block too (`cut_after_broken` drops them later).
    `whole_fails`: the caller has just failed to parse all of `source`; that is not tried again (a keystroke in a
    large class re-parsed its 900 lines twice)."""
    lines = split_lines(source)
    offset = first_line - 1
    if not lines:
        return None, []
    column_0: list[int] = []
    starts = block_starts(lines, column_0)
    bounds = list(zip(starts, starts[1:] + [len(lines)]))
    body: list[ast.stmt] = []
    broken: list[tuple[int, int]] = []
    script_cut = False  # a broken block may have been a statement of the script: keep only definitions after it
    i = 0
    while i < len(bounds):
        start = bounds[i][0]
        tree = None
        j = i
        while j < len(bounds) and j - i <= MAX_MERGE:
            end = bounds[j][1]
            if j > i and end - start > MAX_MERGE_LINES:
                break
            if whole_fails and start == 0 and end == len(lines):
                j += 1
                continue
            tree = _parse("".join(lines[start:end]))
            if tree is not None:
                break
            j += 1
        if tree is None:
            end = bounds[i][1]
            broken.append((start + 1 + offset, _last_code_line(lines, start, end) + 1 + offset))
            script_cut = script_cut or not (SCRIPT_AFTER_BROKEN_DEF and _only_a_definition(lines, column_0, start, end))
            i += 1
            continue
        ast.increment_lineno(tree, start + offset)
        if not script_cut or keep_all:
            body.extend(tree.body)
        else:
            body.extend(node for node in tree.body if isinstance(node, _DEFINITIONS))
        i = j + 1
    if not body:
        return None, broken
    return ast.Module(body=body, type_ignores=[]), broken


def cut_after_broken(body: list, broken: list[tuple[int, int]]) -> list:
    """What parse_partially keeps of statements that all parsed: after the first broken block, only definitions."""
    if not broken or SCRIPT_AFTER_BROKEN_DEF:
        return list(body)
    first = broken[0][0]
    return [node for node in body if node.lineno < first or isinstance(node, _DEFINITIONS)]


def _only_a_definition(lines: list[str], column_0: list[int], start: int, end: int) -> bool:
    """The block is one def or class (with its decorators): all it can do is bind its name."""
    first = bisect.bisect_left(column_0, start)
    last = bisect.bisect_left(column_0, end)
    heads = [lines[k] for k in column_0[first:last]]
    return bool(heads) and all(_DEF.match(h) for h in heads) and not heads[-1].startswith("@")


def _last_code_line(lines: list[str], start: int, end: int) -> int:
    """The last line of a block that is not blank or a comment (the comments after a block are the next one's)."""
    for index in range(end - 1, start, -1):
        text = lines[index].strip()
        if text and not text.startswith("#"):
            return index
    return start


def syntax_error(exc: SyntaxError) -> tuple[int, str]:
    """(line, the one-line message an Analysis carries) for a SyntaxError."""
    line = exc.lineno or 1
    return line, f"syntax error at line {line}, column {exc.offset or 1}: {exc.msg}"


def check_partially(source: str, path: str, config, time_limit: float | None, error: str, error_line: int,
                    analyse, parsed=None):
    """check_source for a text that does not parse: the findings of the blocks that do, with `error` kept.

    Never a finding inside a broken block; when nothing parses, just the syntax error. `parsed`: what
    parse_partially would answer, when the caller knows it already (the incremental path). `analyse`: the walk
    of a parsed tree (checker.analyse_tree, or the incremental path's cached one)."""
    if parsed is not None:
        tree, broken = parsed
    else:
        try:
            tree, broken = parse_partially(source, whole_fails=True)
        except (RecursionError, MemoryError):
            tree, broken = None, []
    result = Analysis(error=error, error_line=error_line)
    if tree is not None:
        lines = [line.rstrip("\r\n") for line in split_lines(source)]
        walked = analyse(tree, lines, path, config, time_limit)

        def inside_broken(line: int) -> bool:
            return any(first <= line <= last for first, last in broken)

        result.findings = [f for f in walked.findings
                           if not inside_broken(f.span.line) and not inside_broken(f.span.end_line)]
        if result.findings:
            result.error += " (findings from the parts that parse are shown)"
        if walked.error:  # the time limit, or nesting too deep to walk
            result.error += f"; {walked.error}"
        result.timed_out = getattr(walked, "timed_out", False)
    result.broken_ranges = broken  # 1-based inclusive line ranges that did not parse (for a client that merges)
    return result
