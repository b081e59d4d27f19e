"""Pull clients (Neovim 0.11, Helix, ...) keep what their last textDocument/diagnostic returned. The server's
first pass over an edit may leave the callers of the edited function for a background pass; a pull answered
from that first pass must never show an error the edit already fixed, and must not hide one the edit made
unless the client is told to pull again."""

from __future__ import annotations

import pytest
from lsp_helpers import change, doc_id, init, open_doc, rng, wait_until, write
from lsprotocol import types

# GG201 on line 6 is found only through the module-level call: `scale` alone does not know `x` requires grad.
BUGGY = """\
import torch


def scale(x):
    h = torch.sigmoid(x)
    h += 1
    return h


w = torch.ones(3, requires_grad=True)
scale(w).sum().backward()
"""
FIXED_LINE, BUGGY_LINE = "    h = h + 1", "    h += 1"
FIXED = BUGGY.replace(BUGGY_LINE, FIXED_LINE)


async def pull(client, uri) -> list[tuple[str, int]]:
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc_id(uri)))
    return [(d.code, d.range.start.line) for d in report.items]


@pytest.mark.parametrize("refresh", [True, False], ids=["refresh", "no-refresh"])
async def test_a_pull_after_fixing_the_called_function_shows_no_stale_error(client, tmp_path, refresh):
    await init(client, tmp_path, pull=True, refresh=refresh)
    uri = write(tmp_path, "m.py", BUGGY)
    open_doc(client, uri, BUGGY)
    assert await pull(client, uri) == [("GG201", 5)]
    change(client, uri, 2, (rng(5, 0, 5, len(BUGGY_LINE)), FIXED_LINE))  # what the quick fix does
    assert await pull(client, uri) == []


async def test_a_pull_client_without_refresh_gets_the_callers_findings_in_its_one_pull(client, tmp_path):
    await init(client, tmp_path, pull=True, refresh=False)
    uri = write(tmp_path, "m.py", FIXED)
    open_doc(client, uri, FIXED)
    assert await pull(client, uri) == []
    change(client, uri, 2, (rng(5, 0, 5, len(FIXED_LINE)), BUGGY_LINE))
    assert await pull(client, uri) == [("GG201", 5)]
    assert client.diagnostic_refresh_count == 0


async def test_a_pull_client_with_refresh_is_asked_again_when_the_background_pass_finds_more(client, tmp_path):
    await init(client, tmp_path, pull=True, refresh=True)
    uri = write(tmp_path, "m.py", FIXED)
    open_doc(client, uri, FIXED)
    assert await pull(client, uri) == []
    asked = client.diagnostic_refresh_count
    change(client, uri, 2, (rng(5, 0, 5, len(FIXED_LINE)), BUGGY_LINE))
    if await pull(client, uri) != [("GG201", 5)]:  # answered from the first pass: the caller was left for later
        await wait_until(lambda: client.diagnostic_refresh_count > asked, what="workspace/diagnostic/refresh")
        assert await pull(client, uri) == [("GG201", 5)]
    assert client.published == []  # pulled, so never pushed
