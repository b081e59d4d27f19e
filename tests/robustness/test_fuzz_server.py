"""The language server under random typing: one `gradguard lsp` process takes every hypothesis example.

Each example opens a bundled example file, sends its edits as `didChange` over stdio (incremental ranges in
UTF-16, now and then the whole text), asks for a hover and the code actions, and checks: the server is alive and
answers, the diagnostics for the last version come, every range lies inside the final text, and (second test)
when the final text parses they are exactly what `analyze()` finds in it (the server's incremental path and its
edit bookkeeping lose nothing).
"""

from __future__ import annotations

import itertools
import sys

import pytest
from fuzzing import analyse_and_check, as_replacement, edits_strategy, example_files, fuzz_settings, parses, read
from fuzzing import _snap, python_lines, time_bound
from hypothesis import given, note
from hypothesis import strategies as st
from stdio_lsp import StdioServer, utf16_position

EXAMPLES = example_files()
_DOCS = itertools.count(1)


@pytest.fixture(scope="module")
def lsp_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-workspace")
    server = StdioServer([sys.executable, "-m", "gradguard", "lsp"], cwd=str(root),
                         stderr_path=root.parent / "fuzz-server.stderr")
    server.initialize(root, settings={"debounceMs": 20})
    yield server, root
    assert server.alive(), "the server died during the fuzz run"
    assert server.close() == 0


def utf16_len(line: str) -> int:
    return len(line.encode("utf-16-le", "surrogatepass")) // 2


def drive(server: StdioServer, root, seed, edits, whole_every: int, at: int, wait_first: bool):
    """Open `seed`, type `edits` as didChange, hover and ask for code actions; the final text and its diagnostics."""
    path = root / f"doc{next(_DOCS)}.py"
    uri = path.as_uri()
    text = read(seed)
    note(f"seed file: {seed}")
    mark = len(server.notifications)
    server.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    if wait_first:  # the edits then go through the server's incremental path, every time
        server.wait_for_diagnostics(uri, 1, after=mark, timeout=time_bound() * 2)
    version = 1
    for i, edit in enumerate(edits):
        start, end, new = as_replacement(text, edit)
        if whole_every and i % whole_every == 0:
            change = {"text": text[:start] + new + text[end:]}
        else:
            change = {"range": {"start": utf16_position(text, start), "end": utf16_position(text, end)}, "text": new}
        text = text[:start] + new + text[end:]
        version += 1
        server.notify("textDocument/didChange",
                      {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})

    where = utf16_position(text, _snap(text, at % (len(text) + 1)))
    server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": where}, timeout=time_bound())
    lines = python_lines(text)
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    actions = server.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": whole,
                                                         "context": {"diagnostics": []}}, timeout=time_bound())
    assert isinstance(actions, list)
    published = server.wait_for_diagnostics(uri, version, after=mark, timeout=time_bound() * 2)
    assert server.alive()
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    return path, text, published


@fuzz_settings(scale=1)
@given(seed=st.sampled_from(EXAMPLES), edits=edits_strategy, whole_every=st.integers(0, 4),
       at=st.integers(0, 1 << 20))
def test_random_edits_over_stdio(lsp_server, seed, edits, whole_every, at):
    server, root = lsp_server
    _, text, published = drive(server, root, seed, edits, whole_every, at, wait_first=False)
    lines = python_lines(text)
    for diag in published["diagnostics"]:
        rng = diag["range"]
        assert 0 <= rng["start"]["line"] <= rng["end"]["line"] < len(lines), (rng, len(lines))
        assert rng["end"]["character"] <= utf16_len(lines[rng["end"]["line"]]) + 1, rng


@fuzz_settings(scale=1)
@given(seed=st.sampled_from(EXAMPLES), edits=edits_strategy, whole_every=st.integers(0, 4),
       at=st.integers(0, 1 << 20))
def test_the_servers_diagnostics_are_the_engines(lsp_server, seed, edits, whole_every, at):
    """When the typed text parses, the server publishes exactly what a full analyze() of it finds."""
    server, root = lsp_server
    path, text, published = drive(server, root, seed, edits, whole_every, at, wait_first=True)
    if parses(text) and "\x00" not in text:
        expected = analyse_and_check(text, str(path))
        got = sorted((d["code"], d["range"]["start"]["line"] + 1) for d in published["diagnostics"])
        assert got == sorted((f.code, f.span.line) for f in expected.findings), text
