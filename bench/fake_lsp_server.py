"""A stand-in pygls server for testing bench/lsp_client.py and the LSP benchmark without gradguard.

It flags every call of a method whose name ends in `_` (`x.add_(1)`) and publishes diagnostics with
the document version, after an optional debounce (initializationOptions.settings.debounceMs).
Its `--parse` flag makes it libcst-parse the text on every change, to cost what a real server costs.

    python bench/fake_lsp_server.py [--parse]
"""

from __future__ import annotations

import asyncio
import re
import sys

from lsprotocol import types
from pygls.lsp.server import LanguageServer

INPLACE = re.compile(r"\.([a-z][a-z0-9_]*_)\(")
server = LanguageServer("fake-gradguard", "0")
state = {"debounce": 0.0, "parse": "--parse" in sys.argv, "tasks": {}}


def _diagnostics(text: str) -> list[types.Diagnostic]:
    if state["parse"]:
        import libcst

        try:
            libcst.parse_module(text)
        except Exception as exc:  # noqa: BLE001 - a syntax error is a finding like any other here
            return [types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 1)),
                                     message=f"syntax error: {str(exc).splitlines()[0]}", source="fake")]
    out = []
    for n, line in enumerate(text.splitlines()):
        for m in INPLACE.finditer(line):
            out.append(types.Diagnostic(
                range=types.Range(types.Position(n, m.start(1)), types.Position(n, m.end(1))),
                message=f"in-place {m.group(1)}", severity=types.DiagnosticSeverity.Warning,
                code="FAKE1", source="fake"))
    return out


async def _publish(uri: str, delay: float) -> None:
    if delay:
        await asyncio.sleep(delay)
    doc = server.workspace.get_text_document(uri)
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=_diagnostics(doc.source)))


def _schedule(uri: str, delay: float) -> None:
    old = state["tasks"].pop(uri, None)
    if old is not None:
        old.cancel()
    state["tasks"][uri] = asyncio.get_event_loop().create_task(_publish(uri, delay))


@server.feature(types.INITIALIZE)
def initialize(ls: LanguageServer, params: types.InitializeParams) -> None:
    opts = params.initialization_options or {}
    settings = opts.get("settings", {}) if isinstance(opts, dict) else {}
    state["debounce"] = float(settings.get("debounceMs", 0)) / 1000.0


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    _schedule(params.text_document.uri, 0.0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    _schedule(params.text_document.uri, state["debounce"])


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


if __name__ == "__main__":
    server.start_io()
