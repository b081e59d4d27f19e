"""Namespace packages (PEP 420): folders without __init__.py that Python imports from, searched as Python does
(project.Project._find_module asks here once the regular packages gave no answer)."""

from __future__ import annotations

import functools
import importlib.machinery
import os
import sys


@functools.lru_cache(maxsize=4096)
def installed(top: str, root: str) -> bool:
    """Is `top` a module or regular package of this interpreter's installation (outside the workspace `root`)?"""
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return True
    path = [p for p in sys.path if p and not os.path.realpath(p).startswith(os.path.realpath(root) + os.sep)
            and os.path.realpath(p) != os.path.realpath(root)]
    try:
        spec = importlib.machinery.PathFinder.find_spec(top, path)
    except (ImportError, ValueError):
        return False
    return spec is not None and spec.origin is not None


def locate_namespace(project, bases: list[str], parts: list[str]) -> str | None:
    """The module that `import a.b.c` loads when a folder on its way has no __init__.py (a namespace package,
    PEP 420: `from agents.Base_Agent import Base_Agent` with agents/ a plain folder at the root), searched as
    Python does: at each part, the first base holding it as a regular package or a module wins; else every
    base holding it as a plain folder is a portion of the namespace package, searched in order for the next
    part. None when it is not there, or the whole name is a namespace package (no file to read)."""
    portions = bases
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        spaces = []
        for base in portions:
            folder = os.path.join(base, part)
            if os.path.isfile(os.path.join(folder, "__init__.py")):
                if last:
                    found = os.path.join(folder, "__init__.py")
                    return project.real(found) if project.contains(found) else None
                return project._locate(folder, parts[i + 1:]) or locate_namespace(project, [folder], parts[i + 1:])
            if os.path.isfile(folder + ".py"):
                return project.real(folder + ".py") if last and project.contains(folder + ".py") else None
            if os.path.isdir(folder):
                spaces.append(folder)
        if not spaces:
            return None
        portions = spaces
    return None
