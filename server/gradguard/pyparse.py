"""Parsing user code without letting Python's warnings decide the result."""

from __future__ import annotations

import ast
import warnings


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, with compile-time warnings silenced: under `PYTHONWARNINGS=error` (or with Python 3.12's
    SyntaxWarning for `"\\h"`) a valid file would otherwise come out as a syntax error, or print warnings about
    the user's code on our output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=filename)
