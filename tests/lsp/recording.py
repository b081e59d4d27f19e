"""A fresh `gradguard lsp` per test whose client also answers (and records) client/registerCapability.

Shared by the conftests of tests/crossfile and tests/notebooks."""

from __future__ import annotations

import asyncio

import pytest_lsp
from lsp_helpers import SERVER_COMMAND, make_client
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient


def recording_client() -> LanguageClient:
    """tests/lsp's client, which also answers (and records) client/registerCapability."""
    client = make_client()
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
        return None

    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=recording_client))
async def client(lsp_client: LanguageClient):
    yield
    try:
        await asyncio.wait_for(lsp_client.shutdown_session(), 10)
    except Exception:  # the test may have shut it down itself
        pass
