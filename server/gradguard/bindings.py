"""What a module binds at its top level, read from its AST without running it: imports, definitions, `__all__`."""

from __future__ import annotations

import ast
import functools
from typing import NamedTuple

from .pyparse import statements


def import_bindings(tree: ast.Module) -> dict:
    """name -> (an import statement binding just that name, module, level, dotted target) for every import in
    the file (in functions too; the first one wins), relative ones included."""
    out: dict = {}
    for node in statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    name, stmt, target = alias.asname, f"import {alias.name} as {alias.asname}", alias.name
                else:
                    name = alias.name.split(".", 1)[0]
                    stmt, target = f"import {alias.name}", name
                out.setdefault(name, (stmt, alias.name, 0, target))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            dots = "." * (node.level or 0)
            for alias in node.names:
                if alias.name == "*":
                    continue
                name = alias.asname or alias.name
                stmt = f"from {dots}{module} import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
                target = f"{module}.{alias.name}" if module else alias.name
                out.setdefault(name, (stmt, module or alias.name, node.level or 0, target))
    return out


def star_imports(tree: ast.Module) -> tuple:
    """(module, level) of every `from M import *` at the file's top level, kept on the tree."""
    found = getattr(tree, "_gg_star_imports", None)
    if found is None:
        found = tuple((node.module or "", node.level or 0) for node in tree.body
                      if node.__class__ is ast.ImportFrom and any(a.name == "*" for a in node.names))
        try:
            tree._gg_star_imports = found
        except AttributeError:
            pass
    return found


def cached_import_bindings(tree: ast.Module) -> dict:
    """import_bindings(tree), kept on the tree (read once per parse)."""
    bindings = getattr(tree, "_gg_import_bindings", None)
    if bindings is None:
        bindings = import_bindings(tree)
        try:
            tree._gg_import_bindings = bindings
        except AttributeError:
            pass
    return bindings


def relatively_imported(tree: ast.Module | None, name: str) -> bool:
    """Is `name` bound by a relative import (`from . import thops`, `from ..utils import ops`)?"""
    found = cached_import_bindings(tree).get(name) if tree is not None else None
    return found is not None and found[2] > 0


def definitions_of(tree: ast.Module) -> dict:
    """("function", name) -> the module-level functions (also those in a module-level `if`/`try`);
    ("class", name) -> the classes (nested ones too)."""
    out: dict = {}
    for node in tree.body:
        bodies = [[node]]
        if isinstance(node, ast.If):
            bodies = [node.body, node.orelse]
        elif isinstance(node, ast.Try):
            bodies = [node.body, node.orelse, node.finalbody] + [h.body for h in node.handlers]
        for body in bodies:
            for n in body:
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out.setdefault(("function", n.name), []).append(n)
    todo = list(tree.body)  # classes at module level, in classes, in module-level blocks (not in functions)
    while todo:
        n = todo.pop()
        if isinstance(n, ast.ClassDef):
            out.setdefault(("class", n.name), []).append(n)
            todo.extend(n.body)
        elif isinstance(n, (ast.If, ast.Try, ast.With)):
            todo.extend(list(n.body) + list(getattr(n, "orelse", [])) + list(getattr(n, "finalbody", [])))
            for handler in getattr(n, "handlers", []):
                todo.extend(handler.body)
    return out


@functools.lru_cache(maxsize=4096)
def parse_import(source: str):
    try:
        stmt = ast.parse(source).body[0]
    except (SyntaxError, IndexError, ValueError):
        return None
    return stmt if isinstance(stmt, (ast.Import, ast.ImportFrom)) else None


class Binding(NamedTuple):
    kind: str  # "function" | "class" | "import" | "from" | "star" | "other"
    data: object  # the def node; the imported module; (module, level, name); (module, level) for a star
    line: int
    # False at module level; inside a module-level if/try/with/for (may or may not run): True, or for a direct
    # child of a module-level `try`, (id of the try, "body" | "handler").
    nested: object


def is_type_checking(test: ast.AST) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING" and isinstance(test.value, ast.Name)
        and test.value.id in ("typing", "t"))


def imported_when_the_try_succeeds(found: list) -> Binding | None:
    """`try: from .fast import op / except ImportError: def op(...)`: the binding of the try's body, which is
    what runs where the imports work (the developer's machine); None unless every binding is in the one try."""
    wheres = [b.nested for b in found]
    if not all(isinstance(w, tuple) for w in wheres) or len({w[0] for w in wheres}) != 1:
        return None
    body = [b for b in found if b.nested[1] == "body"]
    return body[0] if len(body) == 1 else None


class ModuleNames(NamedTuple):
    names: dict  # name -> [Binding] at module level
    stars: list  # [Binding] of `from x import *`, in order
    exported: frozenset | None  # a literal `__all__`; None when there is none
    dynamic_all: bool  # `__all__` built some other way: what a star import takes is jedi's business


def module_bindings(tree: ast.Module) -> ModuleNames:
    """What binds each name at module level (also in module-level `if`/`try`/`with`/`for`), the star imports,
    and `__all__` when it is a literal list or tuple of strings (`+=` of one too)."""
    out: dict = {}
    stars: list = []
    exported: set | None = None
    dynamic = False

    def add(name, binding):
        out.setdefault(name, []).append(binding)

    todo = [(node, False) for node in reversed(tree.body)]
    while todo:
        node, nested = todo.pop()
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            add(node.name, Binding("function", node, line, nested))
        elif isinstance(node, ast.ClassDef):
            add(node.name, Binding("class", node, line, nested))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    add(alias.asname, Binding("import", alias.name, line, nested))
                else:
                    top = alias.name.split(".", 1)[0]
                    add(top, Binding("import", top, line, nested))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    stars.append(Binding("star", (node.module or "", node.level or 0), line, nested))
                else:
                    add(alias.asname or alias.name,
                        Binding("from", (node.module or "", node.level or 0, alias.name), line, nested))
        else:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = literal_strings(getattr(node, "value", None))
                if value is None or nested:
                    dynamic = True
                elif isinstance(node, ast.AugAssign):
                    exported = (exported or set()) | value
                else:
                    exported = set(value)
            children = []
            if type(node) is ast.If and nested is False and is_type_checking(node.test):
                # `if TYPE_CHECKING:` imports are what a lazy package (`_LazyModule`, `__getattr__`) provides at
                # run time under the same names: read them as plain imports; the else branch stays a maybe.
                children = [(c, False) for c in node.body] + [(c, True) for c in node.orelse]
            elif type(node) is ast.Try and nested is False:
                # A module-level try: what its body (and else) binds is what runs when the imports succeed.
                children = [(c, (id(node), "body")) for c in node.body + node.orelse] + \
                           [(h, (id(node), "handler")) for h in node.handlers] + [(c, True) for c in node.finalbody]
            else:
                inherited = nested if isinstance(node, ast.ExceptHandler) and isinstance(nested, tuple) else True
                for field_name in ("body", "orelse", "finalbody", "handlers"):
                    value = getattr(node, field_name, None)
                    if isinstance(value, list):
                        children += [(c, inherited) for c in value if isinstance(c, (ast.stmt, ast.excepthandler))]
            todo.extend(reversed(children))
            if isinstance(node, ast.ExceptHandler):
                if node.name:
                    add(node.name, Binding("other", None, line, True))
                continue
            heads = [getattr(node, f, None) for f in ("targets", "target", "items", "test", "iter", "value")]
            for head in heads:
                for part in head if isinstance(head, list) else [head]:
                    if isinstance(part, ast.AST):
                        for n in ast.walk(part):
                            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                                add(n.id, Binding("other", None, line, nested))
    return ModuleNames(out, stars, frozenset(exported) if exported is not None else None, dynamic)


def literal_strings(node) -> set | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                                       for e in node.elts):
        return {e.value for e in node.elts}
    return None
