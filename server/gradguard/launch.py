"""The `gradguard` command and `python -m gradguard`: before the CLI and its analysis modules load, a language server
about to start on Linux restarts itself on the C allocator (lsp/entry.py), so the restart costs an interpreter
start, not a second import of everything."""

from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:2] == ["lsp"]:
        from .lsp.entry import use_system_allocator

        use_system_allocator()
    from .cli import run as run_cli

    run_cli()
