"""The gradguard language server: diagnostics, hovers and quick fixes for editors (pygls 2).

Start it with ``gradguard lsp`` (stdio) or ``gradguard lsp --tcp HOST:PORT``; see ``server.main``.
"""
