"""Helpers for the LSP tests: the client factory, session setup, document edits, waiting."""

from __future__ import annotations

import asyncio
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Callable, Optional

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

# The way editors start it: the CLI dispatches `lsp` to gradguard.lsp.server:main.
SERVER_COMMAND = [sys.executable, "-m", "gradguard", "lsp"]

LEAF = """\
import torch
x = torch.ones(3, requires_grad=True)
x += 1
"""

SAVED = """\
import torch
x = torch.ones(3, requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
y.sum().backward()
"""


def _record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams):
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record_publish})
    client.published = []  # type: ignore[attr-defined]
    return client


def server_fixture(client_factory: Callable[[], LanguageClient] = make_client):
    """The `client` fixture of a test folder: a fresh `gradguard lsp` over stdio per test, shut down after it (the
    test initializes the session itself)."""
    import pytest_lsp
    from pytest_lsp import ClientServerConfig

    @pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=client_factory))
    async def client(lsp_client: LanguageClient):
        yield
        try:
            await asyncio.wait_for(lsp_client.shutdown_session(), 10)
        except Exception:  # the test may have shut it down itself, or killed it
            pass

    return client


def capabilities(
    *, pull: bool = False, configuration: bool = False, markdown: bool = True, encodings: Optional[list[str]] = None,
    refresh: bool = True,
) -> types.ClientCapabilities:
    """pull: the client pulls diagnostics, and (refresh) takes workspace/diagnostic/refresh requests."""
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            configuration=configuration,
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=refresh) if pull else None,
        ),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(
                content_format=[types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText]
            ),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True, version_support=True),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                    )
                ),
                is_preferred_support=True,
            ),
            diagnostic=types.DiagnosticClientCapabilities(related_document_support=False) if pull else None,
        ),
    )


async def init(
    client: LanguageClient,
    root: Path,
    *,
    settings: Optional[dict] = None,
    pull: bool = False,
    configuration: bool = False,
    markdown: bool = True,
    encodings: Optional[list[str]] = None,
    refresh: bool = True,
) -> types.InitializeResult:
    params = types.InitializeParams(
        capabilities=capabilities(pull=pull, configuration=configuration, markdown=markdown, encodings=encodings,
                                  refresh=refresh),
        root_uri=from_fs_path(str(root)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="root")],
        initialization_options={"settings": settings} if settings is not None else None,
    )
    return await client.initialize_session(params)


def write(root: Path, name: str, text: str) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return from_fs_path(str(path))


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )


def change(client: LanguageClient, uri: str, version: int, *edits: tuple[Any, str]) -> None:
    """edits: (range or None for the whole text, new text)"""
    changes = [
        types.TextDocumentContentChangeWholeDocument(text=text)
        if rng is None
        else types.TextDocumentContentChangePartial(range=rng, text=text)
        for rng, text in edits
    ]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=changes
        )
    )


def rng(line: int, char: int, end_line: int, end_char: int) -> types.Range:
    return types.Range(start=types.Position(line, char), end=types.Position(end_line, end_char))


async def wait_until(predicate: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def published(client: LanguageClient, uri: str, version: Optional[int] = None, after: int = 0,
                    timeout: float = 15.0) -> types.PublishDiagnosticsParams:
    """The first publishDiagnostics for `uri` (with `version`, if given) among those from index `after` on."""

    def find():
        for params in client.published[after:]:  # type: ignore[attr-defined]
            if params.uri == uri and (version is None or params.version == version):
                return params
        return None

    return await wait_until(find, timeout, f"diagnostics for {uri} v{version}")


def plain(value: Any) -> Any:
    """pygls hands back untyped results as namedtuples; make them dicts and lists again."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


async def debug_info(client: LanguageClient) -> dict:
    """The server's `gradguard/debugInfo` answer (documents by uri, torchImported, settings...)."""
    info = plain(await client.protocol.send_request_async("gradguard/debugInfo", {}))
    info["documents"] = {doc["uri"]: doc for doc in info["documents"]}
    return info


async def raw_request(client: LanguageClient, method: str, params: Any, msg_id: str, timeout: float = 10.0) -> Any:
    """Send params exactly as given (no typing on the client side) and wait for the answer."""
    from concurrent.futures import Future

    future: Future = Future()
    client.protocol._request_futures[msg_id] = future
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wait_for(asyncio.wrap_future(future), timeout)


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def hover(client: LanguageClient, uri: str, line: int, char: int) -> Optional[types.Hover]:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=types.Position(line, char))
    )


async def code_actions(client: LanguageClient, uri: str, at: types.Range, only=None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri), range=at, context=types.CodeActionContext(diagnostics=[], only=only)
        )
    )
    return list(result or [])


def apply_edits(text: str, edits) -> str:
    """Apply LSP TextEdits (UTF-16 positions, non-overlapping, against `text`) bottom-up."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        start = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, char in enumerate(line):
            if units >= pos.character:
                return start + i
            units += 2 if ord(char) > 0xFFFF else 1
        return start + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def codes(params: types.PublishDiagnosticsParams) -> list[str]:
    return [d.code for d in params.diagnostics]
