"""Whatever a client sends, the server keeps answering; stale work is never published."""

from __future__ import annotations

import asyncio
import time

import pytest
from lsp_helpers import (
    LEAF,
    SAVED,
    change,
    code_actions,
    codes,
    debug_info,
    doc_id,
    hover,
    init,
    open_doc,
    published,
    raw_request,
    rng,
    wait_until,
    write,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException


async def test_unknown_document_gets_empty_answers(client, tmp_path):
    await init(client, tmp_path)
    uri = (tmp_path / "never_opened.py").as_uri()
    assert await hover(client, uri, 0, 0) is None
    assert await code_actions(client, uri, rng(0, 0, 0, 0)) == []
    info = await debug_info(client)
    assert info["documents"] == {}


async def test_change_before_open_and_duplicate_open(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "doc.py", LEAF)
    change(client, uri, 2, (rng(0, 0, 0, 0), "# too early\n"))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc_id(uri)))  # close before open
    await wait_until(lambda: any("not open" in m.message for m in client.log_messages), what="a logged warning")
    assert await hover(client, uri, 2, 0) is None

    open_doc(client, uri, LEAF)
    assert codes(await published(client, uri, 1)) == ["GG101"]
    open_doc(client, uri, SAVED, version=5)  # opened again: the new text wins
    assert codes(await published(client, uri, 5)) == ["GG201"]
    assert client.messages == []  # nothing popped up


async def test_close_clears_diagnostics(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    mark = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc_id(uri)))
    params = await published(client, uri, after=mark)
    assert list(params.diagnostics) == []
    assert await hover(client, uri, 2, 0) is None


async def test_out_of_range_positions_and_edits(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    assert await hover(client, uri, 999, 999) is None
    assert await hover(client, uri, 2, 999) is None
    assert isinstance(await code_actions(client, uri, rng(999, 0, 1000, 5)), list)
    # An edit whose range lies past the end of the document is clamped, not fatal.
    change(client, uri, 2, (rng(50, 3, 60, 0), "\ny = 1\n"))
    params = await published(client, uri, 2)
    assert codes(params) == ["GG101"]


async def test_invalid_params_get_an_error_answer_not_silence(client, tmp_path):
    await init(client, tmp_path)
    bad = ({"textDocument": 5}, {"textDocument": {"uri": "file:///x.py"}, "position": {"line": "a", "character": 0}})
    for n, params in enumerate(bad):
        with pytest.raises(JsonRpcException):
            await raw_request(client, types.TEXT_DOCUMENT_HOVER, params, f"bad-{n}")
    # malformed notifications are logged and dropped
    client.protocol._send_data({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_OPEN, "params": {"textDocument": 1}})
    client.protocol._send_data({"jsonrpc": "2.0", "method": "gradguard/unknownNotification", "params": None})
    assert (await debug_info(client))["version"]  # still serving


async def test_cancelled_requests_and_floods_of_changes(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "doc.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    mark = len(client.published)

    versions = range(2, 42)
    for version in versions:
        text = ("# edit %d\n" % version) + (SAVED if version == versions[-1] else LEAF)
        change(client, uri, version, (None, text))
        if version % 10 == 0:  # a code action asked for mid-typing, then given up on
            client.protocol.send_request(
                types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionParams(
                    text_document=doc_id(uri), range=rng(3, 0, 3, 0), context=types.CodeActionContext(diagnostics=[])
                ),
                msg_id=f"cancel-me-{version}",
            )
            client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=f"cancel-me-{version}"))

    params = await published(client, uri, versions[-1], after=mark)
    assert codes(params) == ["GG201"] and params.diagnostics[0].range.start.line == 4
    await asyncio.sleep(0.3)
    seen = [p.version for p in client.published[mark:] if p.uri == uri]
    assert seen == sorted(seen)  # never an older version after a newer one
    assert seen[-1] == versions[-1]
    # Changes that arrive while an analysis runs are folded into the next one: never more analyses than changes,
    # and never one queued behind another for the same document.
    assert len(seen) <= len(versions)
    assert (await hover(client, uri, 4, 1)) is not None  # still serving


async def test_pull_diagnostics_when_the_client_supports_them(client, tmp_path):
    result = await init(client, tmp_path, pull=True)
    assert result.capabilities.diagnostic_provider.identifier == "gradguard"
    assert not result.capabilities.diagnostic_provider.inter_file_dependencies
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc_id(uri)))
    assert report.kind == "full" and [d.code for d in report.items] == ["GG101"]

    change(client, uri, 2, (rng(2, 0, 2, 6), "x = x + 1"))
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc_id(uri)))
    assert list(report.items) == []  # answered for the current text, not the debounced one

    unknown = (tmp_path / "other.py").as_uri()
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc_id(unknown)))
    assert list(report.items) == []
    # settings changed: the client is asked to pull again
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"gradguard": {"ignore": ["GG1"]}}))
    await wait_until(lambda: client.diagnostic_refresh_count > 0, what="workspace/diagnostic/refresh")
    await asyncio.sleep(0.3)
    assert client.published == []  # pulled, so never pushed


async def test_stays_responsive_while_a_large_file_is_analysed(client, tmp_path):
    await init(client, tmp_path)
    # ~12,500 lines, all of them analysed; one finding at the very end
    body = "import torch\n" + "".join(
        f"def f{i}(a):\n    b = torch.sigmoid(a)\n    c = b * 2\n    return c.sum()\n\n" for i in range(2500)
    ) + "x = torch.ones(3, requires_grad=True)\nx += 1\n"
    uri = write(tmp_path, "big.py", body)
    open_doc(client, uri, body)
    started = time.monotonic()
    for line in range(0, 200, 20):
        await hover(client, uri, line, 0)
    await debug_info(client)
    answered = time.monotonic() - started
    params = await published(client, uri, 1, timeout=60)
    assert [d.range.start.line for d in params.diagnostics] == [12502]
    assert answered < 2.0, f"hovers took {answered:.2f}s while the analysis ran"


async def test_the_server_never_imports_torch(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "saved.py", SAVED)
    open_doc(client, uri, SAVED)
    assert codes(await published(client, uri, 1)) == ["GG201"]
    info = await debug_info(client)
    assert info["torchImported"] is False
    assert info["documents"][uri]["fresh"] is True


async def test_shutdown_and_exit_cleanly(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    await asyncio.wait_for(client.shutdown_session(), 15)
    assert client._server.returncode == 0


def test_tcp_transport(tmp_path):
    """`gradguard lsp --tcp HOST:PORT` serves one client over a socket and exits after `exit`."""
    import json
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "gradguard", "lsp", "--tcp", f"127.0.0.1:{port}"])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        stream = conn.makefile("rb")

        def send(message):
            body = json.dumps(message).encode()
            conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

        def receive():
            length = None
            while (line := stream.readline()) != b"\r\n":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            return json.loads(stream.read(length))

        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        assert receive()["result"]["capabilities"]["hoverProvider"] is True
        send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        assert receive()["id"] == 2
        send({"jsonrpc": "2.0", "method": "exit"})
        conn.close()
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
