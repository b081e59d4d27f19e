"""Re-analyse only what an edit can affect (the language server's path on every keystroke).

Two caches, both keyed by the identity of top-level statements, which survive an edit when their text does:
- parse: the old and new text are compared line by line; only the top-level statements the changed lines touch
  are parsed again (as a module of their own, then moved to their lines); the statements after the edit are
  the same `ast` objects, moved by the number of lines the edit added or removed.
- scopes: each scope (the module's own statements, every function) was walked on its own (`checker.run_unit`);
  its findings are reused while every function, class and module statement it read has the same text (a class
  by its header, method names and other statements) and the file still defines the same names. Positions are
  stored relative to the innermost function or statement that holds them.
The result is identical to a full analysis (a test compares them on random edit sequences).
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, replace

from .. import pyparse
from ..findings import Finding, Related, Span, source_lines
from . import checker


def stmt_start(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return min([stmt.lineno] + [d.lineno for d in decorators]) if decorators else stmt.lineno


DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class Index:
    """The file's functions and classes (any depth) and module-level statements, by a key that survives edits
    elsewhere: (names of the enclosing definitions..., own name, occurrence). A key's text says if it changed."""

    def __init__(self, tree: ast.Module, lines: list[str]):
        self.lines = lines
        self.key_of: dict = {}
        self.node_of: dict = {}
        self.spans: list = []  # (start, end, key) of every definition, for "innermost definition at line"
        seen: dict = {}

        def visit(body, prefix):
            for node in body:
                if isinstance(node, DEFS):
                    base = prefix + (node.name,)
                    seen[base] = seen.get(base, -1) + 1
                    key = base + (seen[base],)
                    self.key_of[node] = key
                    self.node_of[key] = node
                    self.spans.append((stmt_start(node), node.end_lineno, key))
                    visit(node.body, base)
                elif not prefix:
                    base = ("<module statement>", self.text(node))
                    seen[base] = seen.get(base, -1) + 1
                    key = base + (seen[base],)
                    self.key_of[node] = key
                    self.node_of[key] = node
                    self.spans.append((stmt_start(node), node.end_lineno, key))
                else:
                    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                        children = getattr(node, field, None)
                        if children:
                            visit(children, prefix)

        visit(tree.body, ())
        self.spans.sort()
        self.starts = [sp[0] for sp in self.spans]

    def text(self, node) -> str:
        return "".join(self.lines[stmt_start(node) - 1:node.end_lineno])

    def fingerprint(self, key) -> int | None:
        """What a walk read of this definition: a function's whole text; a class's header, method names and
        non-method statements (its methods have fingerprints of their own)."""
        node = self.node_of.get(key)
        if node is None:
            return None
        if isinstance(node, ast.ClassDef):
            first = node.body[0].lineno if node.body else node.end_lineno + 1
            header = "".join(self.lines[stmt_start(node) - 1:first - 1])
            members = tuple(n.name if isinstance(n, DEFS) else self.text(n) for n in node.body)
            return hash((header, members))
        return hash(self.text(node))

    def innermost(self, line: int):
        """The key of the innermost definition (or module statement) containing `line`, and its first line."""
        best = None
        i = bisect.bisect_right(self.starts, line) - 1
        while i >= 0:
            start, end, key = self.spans[i]
            if start <= line <= end and (best is None or start >= best[0]):
                best = (start, key)
                if key[0] != "<module statement>" and not isinstance(self.node_of[key], ast.ClassDef):
                    break  # a function: nothing nested deeper starts before it
            if best is not None and end < best[0]:
                break
            i -= 1
        return best

    def start(self, key) -> int | None:
        node = self.node_of.get(key)
        return stmt_start(node) if node is not None else None


@dataclass
class CachedUnit:
    deps: dict  # key -> fingerprint of every definition / module statement the walk read
    names: tuple  # the file's top-level function and class names then
    findings: list  # (Finding, anchor key, line offset, end offset, [related anchors])


class IncrementalAnalyzer:
    """One per open document."""

    def __init__(self):
        self.lines: list[str] | None = None
        self.tree: ast.Module | None = None
        self.flat: dict = {}  # top-level stmt -> its nodes with positions (to move them cheaply)
        self.units: dict = {}

    # -- parsing -----------------------------------------------------------------------------------
    def parse(self, source: str, path: str) -> ast.Module:
        lines = source_lines(source, keepends=True)
        tree = None
        if self.tree is not None and self.lines is not None:
            tree = self.reparse(lines, path)
        if tree is None:
            tree = pyparse.parse(source, path)  # SyntaxError goes to the caller
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
            middle = pyparse.parse("\n" * (region_first - 1) + region, path).body if region.strip() else []
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
        try:
            tree = self.parse(source, path)
        except SyntaxError as exc:
            # Half-typed code: the blocks that parse are analysed, through the same per-scope cache, so a
            # keystroke that breaks one function re-walks nothing else.
            from .partial import check_partially

            line = exc.lineno or 1
            return check_partially(source, path, config, time_limit,
                                   f"syntax error at line {line}, column {exc.offset or 1}: {exc.msg}", line,
                                   analyse=lambda tree, lines, p, c, t: self.analyze_tree(tree, source, p, c, t,
                                                                                          partial=True))
        return self.analyze_tree(tree, source, path, config, time_limit)

    def analyze_tree(self, tree, source: str, path: str, config, time_limit, partial: bool = False):
        lines = source_lines(source)
        index = Index(tree, source_lines(source, keepends=True))
        names = tuple(s.name for s in tree.body if isinstance(s, DEFS))
        imports = hash(tuple(index.text(n) for n in statements_with_imports(tree)))
        module_body = hash(tuple(index.text(n) for n in tree.body if not isinstance(n, DEFS)))
        seen_keys: dict = {}
        live: dict = {}

        def unit_cache(unit, run):
            key = self.unit_key(unit, seen_keys)
            entry = self.units.get(key)
            special = {"<imports>": imports, "<module body>": module_body}
            # Half-typed code (partial): a broken class is missing from the names for a moment; reuse what the
            # scope found when the file last parsed rather than walk everything again on every keystroke.
            def unchanged(k, fp):
                now = special[k] if k in special else index.fingerprint(k)
                return now == fp or (partial and now is None)  # in the broken part: as it last parsed

            if entry is not None and (partial or entry.names == names) and all(
                    unchanged(k, fp) for k, fp in entry.deps.items()):
                restored = [self.restore(item, index, tree) for item in entry.findings]
                if all(f is not None for f in restored):
                    live[key] = entry
                    return restored, None
            findings, touched = run()
            deps = {"<imports>": imports}
            kind, fn, _ = unit
            if kind == "module":
                deps["<module body>"] = module_body
            own = [fn] if fn is not None else [n for n in tree.body if not isinstance(n, DEFS)]
            for node in list(own) + list(touched):
                k = index.key_of.get(node)
                if k is not None:
                    deps[k] = index.fingerprint(k)
            anchored = [self.anchor(f, index) for f in findings]
            if all(a is not None for a in anchored):
                for a in anchored:
                    for k in [a[1]] + [r[1] for r in a[4] if r is not None]:
                        deps.setdefault(k, index.fingerprint(k))
                live[key] = CachedUnit(deps, names, anchored)
            return findings, touched

        result = checker.analyse_tree(tree, lines, path, config, time_limit, unit_cache=unit_cache)
        if partial:
            for key, entry in live.items():  # never replace what a parsing text found
                self.units.setdefault(key, entry)
        elif result.error is None:
            self.units = live  # forget scopes that no longer exist
        return result

    @staticmethod
    def unit_key(unit, seen: dict) -> tuple:
        kind, fn, cls = unit
        base = (kind, cls, fn.name if fn is not None else None)
        seen[base] = seen.get(base, -1) + 1
        return base + (seen[base],)

    @staticmethod
    def anchor(f: Finding, index: Index):
        def pin(span: Span):
            found = index.innermost(span.line)
            if found is None:
                return None
            start, key = found
            return (span, key, span.line - start, span.end_line - start)

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
    def restore(item, index: Index, tree: ast.Module) -> Finding | None:
        f, key, off, end_off, related = item
        start = index.start(key)
        if start is None:
            return None
        span = replace(f.span, line=start + off, end_line=start + end_off)
        new_related = []
        for r, pinned in zip(f.related, related):
            if pinned is None:
                new_related.append(r)
                continue
            _, rkey, roff, rend = pinned
            rstart = index.start(rkey)
            if rstart is None:
                return None
            new_related.append(Related(replace(r.span, line=rstart + roff, end_line=rstart + rend), r.message, r.path))
        context = dict(f.context, tree=tree) if isinstance(f.context, dict) else f.context
        return replace(f, span=span, related=new_related, fixes=[], explanation=list(f.explanation), context=context)


def statements_with_imports(tree: ast.Module):
    from .interpreter import statements

    return [n for n in statements(tree.body) if isinstance(n, (ast.Import, ast.ImportFrom))]
