"""The text a fix is built on: positions of the analysed source, and the parents of its syntax tree.

Shared by the fix builders (fixes.py, form_fixes.py, flow_fixes.py); below all of them.
"""

from __future__ import annotations

import ast

from .findings import Span, TextEdit, source_lines


class SourceText:
    """The lines of the analysed text, with conversions between ast positions and 1-based character spans."""

    def __init__(self, source: str):
        self.source = source
        self.lines = source_lines(source, keepends=True)

    def line(self, n: int) -> str:
        return self.lines[n - 1].rstrip("\r\n") if 1 <= n <= len(self.lines) else ""

    def col(self, line: int, byte_offset: int) -> int:
        text = self.line(line)
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace"))

    def span(self, node: ast.AST) -> Span:
        return Span(node.lineno, self.col(node.lineno, node.col_offset) + 1, node.end_lineno,
                    self.col(node.end_lineno, node.end_col_offset) + 1)

    def segment(self, node: ast.AST) -> str:
        """The node's source text, as the user wrote it (ast positions are UTF-8 byte offsets)."""
        first, last = node.lineno, node.end_lineno
        if not (1 <= first <= last <= len(self.lines)):
            return ast.unparse(node)
        if first == last:
            raw = self.lines[first - 1].encode("utf-8")
            return raw[node.col_offset:node.end_col_offset].decode("utf-8", errors="replace")
        head = self.lines[first - 1].encode("utf-8")[node.col_offset:].decode("utf-8", errors="replace")
        middle = self.lines[first:last - 1]
        tail = self.lines[last - 1].encode("utf-8")[:node.end_col_offset].decode("utf-8", errors="replace")
        return head + "".join(middle) + tail

    def indent(self, line: int) -> str:
        text = self.line(line)
        return text[: len(text) - len(text.lstrip())]

    def alone_on_lines(self, stmt: ast.stmt) -> bool:
        """Nothing but blanks before the statement and blanks or a comment after it."""
        before = self.line(stmt.lineno)[: self.col(stmt.lineno, stmt.col_offset)]
        after = self.line(stmt.end_lineno)[self.col(stmt.end_lineno, stmt.end_col_offset):]
        return not before.strip() and (not after.strip() or after.strip().startswith("#"))


class Parents:
    """node -> parent, built per top-level statement on demand (a fix needs one or two, never the whole file)."""

    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.maps: dict = {}
        self.top = {stmt: tree for stmt in tree.body}
        self.starts = [getattr(s, "lineno", 0) for s in tree.body]

    def _maps_for(self, node):
        """The maps of the top-level statements that cover the node's line: one, or several on one line
        (`y = f(x); y.add_(1); z = y * 2`)."""
        import bisect

        line = getattr(node, "lineno", None)
        if line is None:
            return
        i = bisect.bisect_right(self.starts, line) - 1
        while i >= 0 and self.tree.body[i].end_lineno < line:
            i -= 1
        while i >= 0 and self.tree.body[i].end_lineno >= line:
            stmt = self.tree.body[i]
            m = self.maps.get(stmt)
            if m is None:
                m = self.maps[stmt] = {}
                for parent in ast.walk(stmt):
                    for child in ast.iter_child_nodes(parent):
                        m[child] = parent
            yield m
            if stmt.lineno < line:
                return  # an earlier statement starts on an earlier line: it cannot share this one
            i -= 1

    def get(self, node, default=None):
        if node in self.top:
            return self.tree
        for m in self._maps_for(node):
            if node in m:
                return m[node]
        for m in self.maps.values():  # nodes without a line (operators, contexts)
            if node in m:
                return m[node]
        return default


def parents_of(tree: ast.AST):
    return Parents(tree)


def statement_of(node: ast.AST, parents: dict) -> ast.stmt | None:
    while node is not None and not isinstance(node, ast.stmt):
        node = parents.get(node)
    return node


def scope_of(node: ast.AST, parents: dict) -> ast.AST:
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module, ast.Lambda)):
        node = parents.get(node)
    return node


def keyword(call: ast.Call, name: str):
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def number_literal(node: ast.AST) -> bool:
    """`2`, `-1.5`, `True`: a Python number written out."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and \
        not isinstance(node.value, complex)


def short(code: str, limit: int = 60) -> str:
    code = " ".join(code.split())
    return code if len(code) <= limit else code[: limit - 1] + "…"


def apply_edits(source: str, edits: list[TextEdit]) -> str:
    """Apply non-overlapping edits (1-based character spans); later ones first so spans stay valid."""
    lines = source_lines(source, keepends=True)
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln))

    def offset(line: int, col: int) -> int:
        if line > len(lines):
            return len(source)
        content = lines[line - 1].rstrip("\r\n")
        return starts[line - 1] + min(col - 1, len(content))

    spans = sorted(((offset(e.span.line, e.span.column), offset(e.span.end_line, e.span.end_column), e.new_text)
                    for e in edits), reverse=True)
    out = source
    last_start = None
    for start, end, new in spans:
        if last_start is not None and end > last_start:
            continue  # overlaps an edit already applied
        out = out[:start] + new + out[end:]
        last_start = start
    return out
