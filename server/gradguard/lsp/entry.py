"""Starting the language server: what `gradguard lsp` and `python -m gradguard.lsp` call, so neither reaches
into the server module's internals."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run the server (stdio, or `--tcp HOST:PORT`) until the client shuts it down; the exit status."""
    use_system_allocator()
    from .server import main as serve  # imported here: pygls and the server load only when one is started

    return serve(argv)


def use_system_allocator() -> None:
    """On Linux, run the server on the C allocator (PYTHONMALLOC=malloc), by starting this same command again
    before anything is read from the client.

    A server lives for hours and analyses files of thousands of lines: Python's own small-object allocator keeps a
    1 MiB arena as long as one object in it lives, so after the documents are closed the process kept ~70 MB it no
    longer used (bench/editor.py: 118 MB after closing 50 large files, 47 MB at start). glibc's malloc gives the
    freed memory back when the idle server calls malloc_trim (92 MB), at no measured cost per keystroke. Only where
    that holds (Linux, CPython 3.10+ for sys.orig_argv), only once, and never when the caller chose an allocator
    (`PYTHONMALLOC` set) or opted out (`GRADGUARD_PYTHONMALLOC=keep`)."""
    if not sys.platform.startswith("linux") or sys.version_info < (3, 10) or "PYTHONMALLOC" in os.environ or \
            os.environ.get("GRADGUARD_PYTHONMALLOC") == "keep" or not getattr(sys, "orig_argv", None):
        return
    env = dict(os.environ, PYTHONMALLOC="malloc")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, sys.orig_argv, env)
    except OSError:  # cannot start it again (an odd interpreter path): keep running as we are
        return
