"""pytest-lsp harness: each test gets a fresh `gradguard lsp` subprocess over stdio.

The test initializes the session itself (see `lsp_helpers.init`), so it can choose the client's
capabilities, initializationOptions and workspace/configuration answers.
"""

from __future__ import annotations

import asyncio

import pytest_lsp
from lsp_helpers import SERVER_COMMAND, make_client
from pytest_lsp import ClientServerConfig, LanguageClient


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client))
async def client(lsp_client: LanguageClient):
    yield
    try:
        await asyncio.wait_for(lsp_client.shutdown_session(), 10)
    except Exception:  # the test may have shut it down itself
        pass


