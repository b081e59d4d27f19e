"""Re-analyse only what an edit can affect (the language server's path on every keystroke).

Two caches, both keyed by the identity of top-level statements, which survive an edit when their text does:
- parse: the old and new text are compared line by line; only the top-level statements the changed lines touch
  are parsed again (as a module of their own, then moved to their lines); the statements after the edit are
  the same `ast` objects, moved by the number of lines the edit added or removed.
- scopes: each scope (the module's own statements, every function) was walked on its own (`checker.run_unit`);
  its findings are reused while every top-level statement it read is the same object (unchanged text) and the
  file still defines the same names. Their positions are stored relative to those statements.
The result is identical to a full analysis (a test compares them on random edit sequences).
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, replace

from ..findings import Finding, Related, Span
from . import checker


def stmt_start(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return min([stmt.lineno] + [d.lineno for d in decorators]) if decorators else stmt.lineno


class Layout:
    """Where each top-level statement is now: line -> statement, statement -> first line."""

    def __init__(self, tree: ast.Module):
        self.stmts = list(tree.body)
        self.starts = [stmt_start(s) for s in self.stmts]
        self.start_of = {s: st for s, st in zip(self.stmts, self.starts)}

    def containing(self, line: int):
        i = bisect.bisect_right(self.starts, line) - 1
        if i >= 0 and line <= self.stmts[i].end_lineno:
            return self.stmts[i]
        return None


@dataclass
class CachedUnit:
    deps: frozenset  # top-level statements the walk read (identity)
    names: tuple  # the file's top-level function and class names then
    findings: list  # (Finding, anchor stmt, line offset, end offset, [related anchors])


class IncrementalAnalyzer:
    """One per open document."""

    def __init__(self):
        self.lines: list[str] | None = None
        self.tree: ast.Module | None = None
        self.flat: dict = {}  # top-level stmt -> its nodes with positions (to move them cheaply)
        self.units: dict = {}

    # -- parsing -----------------------------------------------------------------------------------
    def parse(self, source: str, path: str) -> ast.Module:
        lines = source.splitlines(keepends=True)
        tree = None
        if self.tree is not None and self.lines is not None:
            tree = self.reparse(lines, path)
        if tree is None:
            tree = ast.parse(source, filename=path)  # SyntaxError goes to the caller
            self.flat = {}
        self.lines, self.tree = lines, tree
        return tree

    def reparse(self, new: list[str], path: str) -> ast.Module | None:
        old, body = self.lines, self.tree.body
        prefix = 0
        limit = min(len(old), len(new))
        while prefix < limit and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
            suffix += 1
        if prefix == len(old) == len(new):
            return self.tree
        changed_first, changed_last = prefix + 1, len(old) - suffix  # old line numbers (may be empty: insert)
        delta = len(new) - len(old)
        before = [s for s in body if s.end_lineno < changed_first]
        after = [s for s in body if stmt_start(s) > changed_last and stmt_start(s) > prefix]
        if len(before) + len(after) > len(body):
            return None
        region_first = (before[-1].end_lineno + 1) if before else 1
        region_last = (stmt_start(after[0]) - 1 + delta) if after else len(new)
        region = "".join(new[region_first - 1:region_last])
        try:
            middle = ast.parse("\n" * (region_first - 1) + region, filename=path).body if region.strip() else []
        except (SyntaxError, ValueError, RecursionError):
            return None
        if after and region and not region.endswith("\n"):
            return None  # the region would run into the next statement
        if delta:
            for stmt in after:
                self.move(stmt, delta)
        return ast.Module(body=before + middle + after, type_ignores=[])

    def move(self, stmt: ast.stmt, delta: int) -> None:
        nodes = self.flat.get(stmt)
        if nodes is None:
            nodes = self.flat[stmt] = [n for n in ast.walk(stmt) if hasattr(n, "lineno")]
        for n in nodes:
            n.lineno += delta
            if n.end_lineno is not None:
                n.end_lineno += delta

    # -- analysis ----------------------------------------------------------------------------------
    def analyze(self, source: str, path: str, config, time_limit):
        tree = self.parse(source, path)
        lines = source.splitlines()
        layout = Layout(tree)
        names = tuple(s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                    ast.ClassDef)))
        imports = frozenset(s for s in tree.body if any(isinstance(n, (ast.Import, ast.ImportFrom))
                                                        for n in ast.walk(s)))
        seen_keys: dict = {}
        live: dict = {}

        def unit_cache(unit, run):
            key = self.unit_key(unit, seen_keys)
            entry = self.units.get(key)
            present = set(layout.stmts)
            if entry is not None and entry.names == names and entry.deps <= present:
                live[key] = entry
                return [self.restore(item, layout, tree) for item in entry.findings], None
            findings, touched = run()
            deps = set(imports)
            own = layout.containing(unit[1].lineno) if unit[1] is not None else None
            if unit[0] == "module":
                deps |= {s for s in tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                      ast.ClassDef))}
            elif own is not None:
                deps.add(own)
            for node in touched:
                holder = layout.containing(getattr(node, "lineno", 0))
                if holder is not None:
                    deps.add(holder)
            anchored = [self.anchor(f, layout) for f in findings]
            if all(a is not None for a in anchored):
                for a in anchored:
                    deps.add(a[1])
                    deps.update(r[1] for r in a[4] if r is not None)
                live[key] = CachedUnit(frozenset(deps), names, anchored)
            return findings, touched

        result = checker.analyse_tree(tree, lines, path, config, time_limit, unit_cache=unit_cache)
        if result.error is None:
            self.units = live  # forget scopes that no longer exist
        return result

    @staticmethod
    def unit_key(unit, seen: dict) -> tuple:
        kind, fn, cls = unit
        base = (kind, cls, fn.name if fn is not None else None)
        seen[base] = seen.get(base, -1) + 1
        return base + (seen[base],)

    @staticmethod
    def anchor(f: Finding, layout: Layout):
        def pin(span: Span):
            stmt = layout.containing(span.line)
            if stmt is None:
                return None
            start = layout.start_of[stmt]
            return (span, stmt, span.line - start, span.end_line - start)

        main = pin(f.span)
        if main is None:
            return None
        related = []
        for r in f.related:
            if r.path is not None:
                related.append(None)  # another file: nothing to move
                continue
            pinned = pin(r.span)
            if pinned is None:
                return None
            related.append(pinned)
        pristine = replace(f, related=list(f.related), explanation=list(f.explanation), fixes=[])
        return (pristine, main[1], main[2], main[3], related)

    @staticmethod
    def restore(item, layout: Layout, tree: ast.Module) -> Finding:
        f, stmt, off, end_off, related = item
        start = layout.start_of[stmt]
        span = replace(f.span, line=start + off, end_line=start + end_off)
        new_related = []
        for r, pinned in zip(f.related, related):
            if pinned is None:
                new_related.append(r)
            else:
                _, rstmt, roff, rend = pinned
                rstart = layout.start_of[rstmt]
                new_related.append(Related(replace(r.span, line=rstart + roff, end_line=rstart + rend), r.message,
                                           r.path))
        context = dict(f.context, tree=tree) if isinstance(f.context, dict) else f.context
        return replace(f, span=span, related=new_related, fixes=[], explanation=list(f.explanation), context=context)
