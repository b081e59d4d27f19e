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


def statements(body):
    """Every statement of `body`, nested ones too, in source order, without descending into expressions (imports,
    classes and definitions are statements)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                stack.extend(reversed(children))
