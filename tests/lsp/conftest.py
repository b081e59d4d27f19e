"""pytest-lsp harness: each test gets a fresh `gradguard lsp` subprocess over stdio.

The test initializes the session itself (see `lsp_helpers.init`), so it can choose the client's
capabilities, initializationOptions and workspace/configuration answers.
"""

from __future__ import annotations

from lsp_helpers import make_client, server_fixture


client = server_fixture(make_client)
