"""The project root of command-line paths: where `gradguard check` looks for the files its imports name (moved out of
project.py, which re-exports these names)."""

from __future__ import annotations

import os

ROOT_MARKERS = ("pyproject.toml", ".git", "setup.py", "setup.cfg")


def find_root(paths: list[str]) -> str:
    """The project root for command-line paths: the nearest folder at or above their common folder that has a
    pyproject.toml, .git, setup.py or setup.cfg; else that common folder."""
    common = common_folder(paths) or folder_of(os.path.abspath((paths or ["."])[0]))
    here = common
    while True:
        if any(os.path.exists(os.path.join(here, m)) for m in ROOT_MARKERS):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return common
        here = parent


def argument_roots(paths: list[str]) -> dict[str, str]:
    """The project root of each command-line path (absolute), by find_root. Paths whose only common folder is the
    filesystem root (`gradguard check /tmp/a.py ~/proj`) share no project: each gets the root find_root gives it
    alone, so that no search for imports or callers walks the whole filesystem. Otherwise they share one root, so
    that `gradguard check src tests` follows calls between the two."""
    given = [os.path.abspath(p) for p in paths or ["."]]
    common = common_folder(paths)
    if common is not None and os.path.dirname(common) != common:
        return dict.fromkeys(given, find_root(paths))
    return {p: find_root([p]) for p in given}


def folder_of(path: str) -> str:
    return path if os.path.isdir(path) else os.path.dirname(path)


def common_folder(paths: list[str]) -> str | None:
    """The folder the paths (files or folders) have in common; None for paths on different drives."""
    try:
        return os.path.commonpath([folder_of(os.path.abspath(p)) for p in paths or ["."]])
    except ValueError:
        return None
