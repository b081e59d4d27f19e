"""A fresh `gradguard lsp` per test whose client also answers (and records) client/registerCapability.

Shared by the conftests of tests/crossfile and tests/notebooks."""

from __future__ import annotations

from lsp_helpers import make_client, server_fixture
from lsprotocol import types
from pytest_lsp import LanguageClient


def recording_client() -> LanguageClient:
    """tests/lsp's client, which also answers (and records) client/registerCapability."""
    client = make_client()
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
        return None

    return client


client = server_fixture(recording_client)
