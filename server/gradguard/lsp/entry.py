"""Starting the language server: what `gradguard lsp` and `python -m gradguard.lsp` call, so neither reaches
into the server module's internals."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Run the server (stdio, or `--tcp HOST:PORT`) until the client shuts it down; the exit status."""
    from .server import main as serve  # imported here: pygls and the server load only when one is started

    return serve(argv)
