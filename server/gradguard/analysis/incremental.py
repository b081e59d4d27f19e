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
import time
from dataclasses import dataclass, replace

from .. import pyparse
from ..pyparse import nodes_under
from ..findings import Finding, Related, Span, source_lines
from . import checker
from .context import CANCELLED, Superseded, stop_if_superseded  # noqa: F401 - the server catches Superseded here
from .partial import check_partially, cut_after_broken, parse_partially, syntax_error


def stmt_start(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return min([stmt.lineno] + [d.lineno for d in decorators]) if decorators else stmt.lineno


DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# CPU seconds of the other-file passes (callers.py) past which a keystroke's analysis keeps their last findings and
# leaves them to the background pass: above a keystroke's budget, and far above what a file no other file builds,
# calls or uses costs there (nothing)
CROSS_FILE_DEFER_S = 0.02
# Statements with nested statements (other than definitions); an except handler and a match case too.
COMPOUND = frozenset({ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.ExceptHandler,
                      ast.Match, ast.match_case} | ({ast.TryStar} if hasattr(ast, "TryStar") else set()))
# What the analysis keeps on a statement about the statements nested in it (training.summary, context.outline,
# context.functions_of, training.classes_called_here, saved_modules.saved_attributes,
# hook_attributes.hook_attributes): dropped when a nested function is parsed again.
KEPT_ON_NODES = ("_gg_training", "_gg_outline", "_gg_functions", "_gg_built", "_gg_saved_attributes",
                 "_gg_hook_attrs")
MISSING = object()


def starts_indented(lines: list[str]) -> bool:
    """Is the first line of code (not blank, not only a comment) indented?"""
    for line in lines:
        code = line.lstrip()
        if code and not code.startswith("#"):
            return code is not line
    return False


class Index:
    """The file's functions and classes (any depth) and module-level statements, by a key that survives edits
    elsewhere: (names of the enclosing definitions..., own name, occurrence). A key's text says if it changed."""

    def __init__(self, tree: ast.Module, lines: list[str], known: dict | None = None):
        self.lines = lines
        self.known = known or {}  # node -> fingerprint, from the last keystroke's index (nodes whose text is the same)
        self.key_of: dict = {}
        self.node_of: dict = {}
        self.spans: list = []  # (start, end, key) of every definition, for "innermost definition at line"
        self.fingerprints: dict = {}
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
                elif node.__class__ in COMPOUND:  # a simple statement holds no definition
                    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                        children = getattr(node, field, None)
                        if children:
                            visit(children, prefix)

        visit(tree.body, ())
        del visit  # it refers to itself through its closure: a cycle that would keep this index for the collector
        self.spans.sort()
        self.starts = [sp[0] for sp in self.spans]

    def text(self, node) -> str:
        return "".join(self.lines[stmt_start(node) - 1:node.end_lineno])

    def fingerprint(self, key) -> int | None:
        """What a walk read of this definition: a function's whole text; a class's header, method names and
        non-method statements (its methods have fingerprints of their own)."""
        known = self.fingerprints.get(key, MISSING)
        if known is MISSING:
            known = self.fingerprints[key] = self.compute_fingerprint(key)
        return known

    def compute_fingerprint(self, key) -> int | None:
        node = self.node_of.get(key)
        if node is None:
            return None
        known = self.known.get(node)
        if known is not None:
            return known
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
class CachedCanonical:
    """A class's `self` (scopes.build_canonical: its __init__ walked) from an earlier keystroke: still right while
    the file's imports and top-level names are the same and every definition the build read is the same node
    with the same text (its values refer to the nodes, which move with their lines)."""

    built: tuple
    names: tuple
    imports: tuple
    deps: dict  # key -> (node, fingerprint)


@dataclass
class CachedUnit:
    deps: dict  # key -> fingerprint of every definition / module statement the walk read
    names: tuple  # the file's top-level function and class names then
    findings: list  # (Finding, anchor key, line offset, end offset, [related anchors])


def common_prefix(a: list, b: list, limit: int, chunk: int = 256) -> int:
    """How many leading items a and b share (at most `limit`): chunks compared by list equality (in C), then the
    last chunk item by item. A keystroke in a 5 k-line file compares every line: this keeps it to ~0.1 ms."""
    i = 0
    while i + chunk <= limit and a[i:i + chunk] == b[i:i + chunk]:
        i += chunk
    while i < limit and a[i] == b[i]:
        i += 1
    return i


class IncrementalAnalyzer:
    """One per open document."""

    def __init__(self):
        self.lines: list[str] | None = None
        self.tree: ast.Module | None = None  # the statements that parse, at their lines in self.lines
        self.broken: list = []  # [(first, last)] 1-based inclusive ranges of self.lines that do not parse
        self.errors: list = []  # [(line, message)]: the syntax error each broken region gave
        self.flat: dict = {}  # top-level stmt -> its nodes with positions (to move them cheaply)
        self.units: dict = {}
        self.fingerprints: dict = {}  # node -> its Index fingerprint, for the nodes whose text has not changed since
        # Whole-file work carried over between keystrokes, each with what it depends on:
        self.bindings: tuple | None = None  # (texts of the import statements, project.import_bindings of them)
        self.canonical: dict = {}  # class name -> CachedCanonical
        self.defer, self.deferred = False, False  # this call's (see analyze; its `cancelled` is context.CANCELLED)
        self.cross_found: list | None = None  # what the other-file passes last added or changed (anchored)
        self.cross_cost = 0.0  # CPU seconds they took then

    # -- parsing -----------------------------------------------------------------------------------
    def parse(self, source: str, path: str) -> tuple[ast.Module, list, list]:
        """(statements that parse, broken ranges, syntax errors) of the new text. An edit re-parses only the
        top-level statements it touches; half-typed code stays a gap between statements that parse, so a
        keystroke in a broken function re-parses that function alone."""
        lines = source_lines(source, keepends=True)
        got = None
        if self.tree is not None and self.lines is not None:
            got = self.reparse(lines, path)
            if got is not None and len(got[1]) > 1:
                # Two gaps: an edit far away may have closed what the other one opened (a bracket, a
                # triple-quoted string). Decide from the whole text.
                got = None
        if got is None:
            try:
                got = (pyparse.parse(source, path), [], [])
            except SyntaxError as exc:
                tree, broken = parse_partially(source, keep_all=True, whole_fails=True)
                got = (tree or ast.Module(body=[], type_ignores=[]), broken, [syntax_error(exc)])
            self.flat = {}
            self.fingerprints = {}
        self.lines = lines
        self.tree, self.broken, self.errors = got
        return got

    def reparse(self, new: list[str], path: str):
        old, body = self.lines, self.tree.body
        limit = min(len(old), len(new))
        prefix = common_prefix(old, new, limit)
        suffix = common_prefix(old[::-1], new[::-1], limit - prefix)
        if prefix == len(old) == len(new):
            return self.tree, self.broken, self.errors
        changed_first, changed_last = prefix + 1, len(old) - suffix  # old line numbers (may be empty: insert)
        delta = len(new) - len(old)
        before = [s for s in body if s.end_lineno < changed_first]
        after = [s for s in body if stmt_start(s) > changed_last and stmt_start(s) > prefix]
        if len(before) + len(after) > len(body):
            return None
        region_first = (before[-1].end_lineno + 1) if before else 1
        old_region_last = (stmt_start(after[0]) - 1) if after else len(old)
        region_last = old_region_last + delta
        while before and starts_indented(new[region_first - 1:region_last]):
            # An indented line after a statement (`return x` typed below a function's last line) goes on that
            # statement's block: parse them together.
            if any(a <= region_first - 1 <= b for a, b in self.broken):
                return None  # it continues a block that does not parse: decide from the whole text
            before.pop()
            region_first = (before[-1].end_lineno + 1) if before else 1
        region = "".join(new[region_first - 1:region_last])
        if after and region and not region.endswith("\n"):
            return None  # the region would run into the next statement
        broken: list = []
        errors: list = []
        middle = None
        inside = body[len(before):len(body) - len(after)]
        if len(inside) == 1 and not any(region_first <= b <= old_region_last for gap in self.broken for b in gap):
            # Typing inside a method of a large class: parse that method alone, not the class.
            middle = self.reparse_function(inside[0], new, changed_first, changed_last, delta, path)
        if middle is not None:
            pass
        elif region.strip():
            try:
                middle = pyparse.parse("\n" * (region_first - 1) + region, path).body
            except SyntaxError as exc:
                part, broken = parse_partially(region, first_line=region_first, keep_all=True, whole_fails=True)
                middle = part.body if part is not None else []
                errors = [syntax_error(exc)]
            except (ValueError, RecursionError, MemoryError):
                return None
        else:
            middle = []
        # Gaps outside the region are as they were (those after it move with their statements).
        broken = [b for b in self.broken if b[1] < region_first] + broken + [
            (a + delta, b + delta) for a, b in self.broken if a > old_region_last]
        errors = [e for e in self.errors if e[0] < region_first] + errors + [
            (line + delta, message.replace(f"line {line},", f"line {line + delta},", 1))
            for line, message in self.errors if line > old_region_last]
        if delta:
            for stmt in after:
                self.move(stmt, delta)
        return ast.Module(body=before + middle + after, type_ignores=[]), broken, errors

    def reparse_function(self, top: ast.stmt, new: list[str], changed_first: int, changed_last: int, delta: int,
                         path: str) -> list | None:
        """[top] with the statements of the innermost block around the changed lines (old numbering) parsed again
        (reparse_statements), or else the innermost nested function, put in place of the old ones; None when the
        edit is not strictly inside one block or the body of a nested function, or what was parsed again does not
        fit in place (then the whole statement is parsed)."""
        chain = [top]
        while True:
            node = chain[-1]
            inner = next((c for field_name in ("body", "orelse", "finalbody") for c in getattr(node, field_name, ())
                          if stmt_start(c) < changed_first and changed_last < c.end_lineno), None)
            if inner is None:
                break
            chain.append(inner)
        if self.reparse_statements(chain, new, changed_first, changed_last, delta, path):
            return [top]
        depth = next((i for i in range(len(chain) - 1, 0, -1)
                      if isinstance(chain[i], (ast.FunctionDef, ast.AsyncFunctionDef))
                      and chain[i].body[0].lineno <= changed_first and chain[i].lineno < changed_first), None)
        if depth is None:
            return None
        fn = chain[depth]
        first, last = stmt_start(fn), fn.end_lineno + delta
        text = "\n" * (first - 2) + "if 1:\n" + "".join(new[first - 1:last])
        try:
            wrapper = pyparse.parse(text, path).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        parsed = wrapper[0].body[0] if len(wrapper) == 1 and len(wrapper[0].body) == 1 else None
        if not (type(parsed) is type(fn) and stmt_start(parsed) == first and parsed.end_lineno == last
                and parsed.col_offset == fn.col_offset and parsed.name == fn.name):
            return None
        old_end = fn.end_lineno
        self.forget_text_of(chain[:depth + 1])  # the function and its ancestors, which contain it
        parent = chain[depth - 1]
        self.shift_after(chain[:depth], old_end, delta)
        for field_name, value in ast.iter_fields(parent):
            if isinstance(value, list) and any(v is fn for v in value):
                value[[i for i, v in enumerate(value) if v is fn][0]] = parsed
                break
        self.flat.pop(top, None)
        return [top]

    def reparse_statements(self, chain: list, new: list[str], changed_first: int, changed_last: int, delta: int,
                           path: str) -> bool:
        """Typing inside a function (or a class, an `if` block): parse again only the statements of the innermost
        block around the changed lines (old numbering) and put them in place, when the edit lies between two
        statements of one list (a body, an `else:` block) that it leaves alone and the new lines parse to statements
        at that list's indentation: then a parse of the whole text puts them there too. False: nothing changed."""
        node = chain[-1]
        for field_name in ("body", "orelse", "finalbody"):
            block = getattr(node, field_name, None)
            if not block:
                continue
            before = [i for i, s in enumerate(block) if s.end_lineno < changed_first]
            after = [i for i, s in enumerate(block) if stmt_start(s) > changed_last]
            if before and after and before[-1] < after[0]:
                break
        else:
            return False
        prev, nxt = before[-1], after[0]
        first, old_last = block[prev].end_lineno + 1, stmt_start(block[nxt]) - 1
        if changed_first < first or changed_last > old_last:
            return False
        column = block[0].col_offset
        region = new[first - 1:old_last + delta]
        if all(not line.strip() or line.lstrip().startswith("#") for line in region):
            parsed = []
        else:
            try:
                wrapper = pyparse.parse("\n" * (first - 2) + "if 1:\n" + "".join(region), path).body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return False
            if len(wrapper) != 1 or not isinstance(wrapper[0], ast.If):
                return False
            parsed = wrapper[0].body
            if any(s.col_offset != column for s in parsed) or stmt_start(parsed[0]) < first or \
                    parsed[-1].end_lineno > old_last + delta:
                return False
        self.forget_text_of(chain)  # each contains the edited lines
        self.shift_after(chain, old_last, delta)  # before the new statements go in: they are at their lines
        block[prev + 1:nxt] = parsed
        self.flat.pop(chain[0], None)
        return True

    def forget_text_of(self, changed: list) -> None:
        """These statements' text changed: their fingerprints, and what was kept on them about their body."""
        for node in changed:
            self.fingerprints.pop(node, None)
            for kept in KEPT_ON_NODES:
                node.__dict__.pop(kept, None)

    def shift_after(self, ancestors: list, last: int, delta: int) -> None:
        """`delta` lines were added (or removed) at old line `last` inside each of `ancestors`: they end that much
        later, and what they hold after that line moves."""
        if not delta:
            return
        for ancestor in ancestors:
            ancestor.end_lineno += delta
            for child in ast.iter_child_nodes(ancestor):
                if getattr(child, "lineno", 0) > last:
                    self.move(child, delta, cache=False)

    def move(self, stmt: ast.stmt, delta: int, cache: bool = True) -> None:
        nodes = self.flat.get(stmt)
        if nodes is None:
            nodes = [n for n in nodes_under(stmt) if "lineno" in n._attributes]  # what has a position
            if cache:
                self.flat[stmt] = nodes
        for n in nodes:
            n.lineno += delta
            if n.end_lineno is not None:
                n.end_lineno += delta

    # -- analysis ----------------------------------------------------------------------------------
    def analyze(self, source: str, path: str, config, time_limit, defer: bool = False, cancelled=None):
        """`defer`: a scope whose own text did not change but that read a definition that did (a caller of the
        edited function) keeps its last findings for now, and the result says `deferred`: the same call again
        without `defer` (the background pass) brings them up to date. `cancelled()` is asked before each scope
        walked; when it answers true the analysis stops with Superseded (nothing cached changes)."""
        self.defer, self.deferred = defer, False
        token = CANCELLED.set(cancelled)  # also asked inside a scope's walk (context.Budget.check)
        try:
            return self._analyze(source, path, config, time_limit)
        finally:
            CANCELLED.reset(token)

    def _analyze(self, source: str, path: str, config, time_limit):
        tree, broken, errors = self.parse(source, path)
        if not broken:
            return self.analyze_tree(tree, source, path, config, time_limit)
        # Half-typed code: the blocks that parse are analysed, through the same per-scope cache, so a keystroke
        # that breaks one function re-walks nothing else.
        line, error = min(errors) if errors else (broken[0][0], f"syntax error at line {broken[0][0]}")
        kept = cut_after_broken(tree.body, broken)
        module = ast.Module(body=kept, type_ignores=[]) if kept else None
        result = check_partially(source, path, config, time_limit, error, line, parsed=(module, broken),
                                 analyse=lambda tree, lines, p, c, t: self.analyze_tree(tree, source, p, c, t,
                                                                                        partial=True))
        result.deferred = self.deferred
        return result

    def analyze_tree(self, tree, source: str, path: str, config, time_limit, partial: bool = False):
        defer = self.defer
        keep = self.lines if self.lines is not None else source_lines(source, keepends=True)  # parse() split it
        lines = source_lines(source)  # keep without the line ends (what parse() split)
        index = Index(tree, keep, self.fingerprints)
        names = tuple(s.name for s in tree.body if isinstance(s, DEFS))
        info = checker.FileInfo(tree, lines)
        import_texts = tuple(index.text(n) for n in info.import_nodes)
        imports = hash(import_texts)
        self.carry_over(tree, info, index, names, import_texts)
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
            if defer and entry is not None and own_unchanged(unit, entry):
                # A kept finding that points into code the edit changed (a caller's finding inside the edited
                # function) may be exactly what the edit fixed: it waits for the background pass instead.
                restored = [self.restore(item, index, tree) for item in entry.findings
                            if all(index.fingerprint(k) == entry.deps.get(k) for k in anchor_keys(item))]
                if all(f is not None for f in restored):
                    live[key] = entry  # still out of date: the background pass walks it
                    self.deferred = True
                    return restored, None
            stop_if_superseded()
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

        def anchor_keys(item) -> list:
            return [item[1]] + [r[1] for r in item[4] if r is not None]

        def own_unchanged(unit, entry) -> bool:
            kind, fn, _ = unit
            own = "<module body>" if kind == "module" else index.key_of.get(fn)
            now = module_body if kind == "module" else index.fingerprint(own)
            return own in entry.deps and entry.deps[own] == now

        def cross_file(found: dict, run) -> None:
            """The passes that read other workspace files (callers.py: what their callers pass, build, use) walk
            those files again for every version of this one, which takes seconds on a keystroke when they build its
            classes (x-transformers' wrappers). A deferred analysis keeps what the passes last added or changed,
            where it still points, as it keeps the scopes it defers, when they took long the last time (a file no
            other file builds, calls or uses costs nothing there: analysed at once); the background pass runs them."""
            if defer and self.cross_found is not None and self.cross_cost > CROSS_FILE_DEFER_S:
                for item in self.cross_found:
                    f = self.restore(item, index, tree)
                    if f is not None:
                        found[(f.code, f.span.line, f.span.column)] = f
                self.deferred = True
                return
            stop_if_superseded()  # a newer text waits: what follows reads other files, parses among them
            before = {k: report_signature(f) for k, f in found.items()}
            started = time.process_time()
            run()
            self.cross_cost = time.process_time() - started
            changed = [self.anchor(f, index) for k, f in found.items() if before.get(k) != report_signature(f)]
            self.cross_found = [a for a in changed if a is not None]

        result = checker.analyse_tree(tree, lines, path, config, time_limit, unit_cache=unit_cache, info=info,
                                      cross_file=cross_file)
        result.deferred = self.deferred
        self.keep_for_next(tree, info, index, names, import_texts)
        self.fingerprints = {index.node_of[k]: fp for k, fp in index.fingerprints.items() if fp is not None}
        if partial:
            for key, entry in live.items():  # never replace what a parsing text found
                self.units.setdefault(key, entry)
        elif result.error is None:
            self.units = live  # forget scopes that no longer exist
        return result

    def carry_over(self, tree, info, index: Index, names: tuple, import_texts: tuple) -> None:
        """Put what the last keystroke built and this text did not change where the walk looks for it."""
        if self.bindings is not None and self.bindings[0] == import_texts:
            tree._gg_import_bindings = self.bindings[1]  # what project.target_of reads (one walk of every statement)
        for cls, cached in self.canonical.items():
            if cached.names == names and cached.imports == import_texts and all(
                    index.node_of.get(key) is node and index.fingerprint(key) == fp
                    for key, (node, fp) in cached.deps.items()):
                info.canonical[cls] = cached.built

    def keep_for_next(self, tree, info, index: Index, names: tuple, import_texts: tuple) -> None:
        bindings = getattr(tree, "_gg_import_bindings", None)
        if bindings is not None:
            self.bindings = (import_texts, bindings)
        kept = {}
        for cls, built in info.canonical.items():
            cached = self.canonical.get(cls)
            if cached is not None and cached.built is built:
                kept[cls] = cached
                continue
            own = info.classes.get(cls)
            deps = {}
            for node in list(built[3]) + ([own.node] if own is not None else []):
                key = index.key_of.get(node)
                if key is None:
                    if getattr(node, "_gg_file", None) is None:
                        break  # a node of this file that is not in the index: do not keep this one
                    continue  # another file's: the document is forgotten when that file changes
                deps[key] = (node, index.fingerprint(key))
            else:
                kept[cls] = CachedCanonical(built, names, import_texts, deps)
        self.canonical = kept

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


def report_signature(f) -> tuple:
    """What the other-file passes may change of a finding already found (callers.promote raises its severity)."""
    return f.severity, f.message, f.depends_on, len(f.related)
