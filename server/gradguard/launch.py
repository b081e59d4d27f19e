"""The `gradguard` command and `python -m gradguard`: before the CLI and its analysis modules load, a language server
about to start on Linux restarts itself on the C allocator (lsp/entry.py), so the restart costs an interpreter
start, not a second import of everything."""

from __future__ import annotations

import os
import sys


def run() -> None:
    drop_working_folder_from_path()
    if sys.argv[1:2] == ["lsp"]:
        from .lsp.entry import use_system_allocator

        use_system_allocator()
    from .cli import run as run_cli

    run_cli()


def drop_working_folder_from_path() -> None:
    """`python -m gradguard` puts the working folder first on sys.path, and the editor starts the server in the
    workspace folder: a workspace with its own `random.py`, `types.py` or `logging.py` at the top would then replace
    the standard library's module of that name inside the server (and run the user's code). gradguard itself is
    imported by now; nothing else it needs lives in the user's folder. Python 3.11's `-P` does the same. Not for
    `gradguard trace`, which runs the user's program as `python -m` would (`trace -m pkg.train` imports from there)."""
    if sys.argv[1:2] == ["trace"]:
        return
    if not sys.flags.safe_path and sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
