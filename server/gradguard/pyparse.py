"""Parsing user code without letting Python's warnings decide the result."""

from __future__ import annotations

import ast
import gc
import warnings

# Set by engine.tune_gc(batch=True) (the CLI): each new tree goes to the collector's permanent generation at once.
# A tree lives as long as the analysis of its file (or the parse cache) and is freed by reference counting (it holds
# no cycle); left young, its nodes were scanned by every collection during the walk: 9 % of a CLI run.
FREEZE_TREES = False


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, with compile-time warnings silenced: under `PYTHONWARNINGS=error` (or with Python 3.12's
    SyntaxWarning for `"\\h"`) a valid file would otherwise come out as a syntax error, or print warnings about
    the user's code on our output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source, filename=filename)
    if FREEZE_TREES:
        gc.freeze()
    return tree


def statements(body) -> list:
    """Every statement of `body`, nested ones too, in source order, without descending into expressions (imports,
    classes and definitions are statements). A list, not a generator: every caller reads them all."""
    out = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        out.append(node)
        for field in _BLOCK_FIELDS:
            children = getattr(node, field, None)
            if children.__class__ is list:
                stack.extend(reversed(children))
    return out


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


# Fields that hold only singletons shared by every tree (`Load()`, `Add()`): never walked, never tagged or moved.
SHARED_FIELDS = frozenset({"ctx", "op", "ops"})
# Fields that hold no node in any node class (names, flags, numbers: the grammar's identifier, string and int
# fields), left out of the walks: `Name.id`, `Attribute.attr`, `arg.arg`, `keyword.arg` were read and tested on
# every node of every walk. `name` too, except in `TypeAlias` (3.12), where it is a Name node.
SCALAR_FIELDS = frozenset({"id", "attr", "arg", "type_comment", "module", "level", "kind", "conversion", "is_async",
                           "simple", "tag", "rest", "kwd_attrs"})
_CHILD_FIELDS: dict = {}  # node class -> its fields that may hold nodes


def child_fields(cls) -> tuple:
    """The fields of an AST node class that may hold nodes (not the shared singletons)."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = _node_fields(cls)
    return fields


def _node_fields(cls) -> tuple:
    return tuple(name for name in cls._fields if name not in SHARED_FIELDS and name not in SCALAR_FIELDS
                 and (name != "name" or cls.__name__ == "TypeAlias"))


def nodes_under(root: ast.AST, skip: frozenset = frozenset()) -> list:
    """`root` and every node under it, in no particular order: ast.walk without its generators (a third of the
    time; a keystroke's summaries, the moves after an Enter and the tagging of other files' trees all walk whole
    functions or files). `skip`: node classes left out (names and constants, for a walk that looks for calls)."""
    out = []
    stack = [root]
    fields_of = _CHILD_FIELDS
    while stack:
        node = stack.pop()
        out.append(node)
        cls = node.__class__
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = _node_fields(cls)
        for name in fields:
            child = getattr(node, name, None)
            if child.__class__ is list:
                stack.extend([c for c in child if c.__class__ not in skip and isinstance(c, ast.AST)])
            elif child is not None and child.__class__ not in skip and isinstance(child, ast.AST):
                stack.append(child)
    return out


# The definitions that open a scope of their own: a function's own nodes stop at them.
NESTED_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})


def own_nodes(fn: ast.AST) -> list:
    """The nodes of a function's body, not those of the functions, lambdas and classes defined in it (nor those
    definitions themselves)."""
    return [node for stmt in fn.body if stmt.__class__ not in NESTED_SCOPES
            for node in nodes_under(stmt, NESTED_SCOPES)]


def set_under(root: ast.AST, attr: str, value) -> None:
    """`setattr(node, attr, value)` for `root` and every node under it (those nodes_under gives), in one pass
    without the list: tagging another file's tree with its file walks every node of it."""
    stack = [root]
    fields_of = _CHILD_FIELDS
    while stack:
        node = stack.pop()
        setattr(node, attr, value)
        cls = node.__class__
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = _node_fields(cls)
        for name in fields:
            child = getattr(node, name, None)
            if child.__class__ is list:
                stack.extend([c for c in child if isinstance(c, ast.AST)])
            elif child is not None and isinstance(child, ast.AST):
                stack.append(child)
