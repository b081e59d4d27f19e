"""Notebook document sync (LSP 3.17): the code cells are analysed as one program, in their order; each diagnostic
is published on its own cell, related locations point at the other cells, quick fixes edit the cell."""

from __future__ import annotations

from lsp_helpers import apply_edits, capabilities, code_actions, hover, published, rng, wait_until
from lsprotocol import types
from pygls.uris import from_fs_path

CELLS = [
    (types.NotebookCellKind.Markup, "markdown", "# Gating, one cell at a time"),
    (types.NotebookCellKind.Code, "python", "%matplotlib inline\nimport torch"),
    (types.NotebookCellKind.Code, "python", "x = torch.randn(8, requires_grad=True)\ngate = torch.sigmoid(x)"),
    (types.NotebookCellKind.Code, "python", "!echo scaling\ngate.mul_(0.5)"),
    (types.NotebookCellKind.Code, "python", "loss = gate.sum()\nloss.backward()"),
]


def notebook_capabilities() -> types.ClientCapabilities:
    caps = capabilities()
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(execution_summary_support=False))
    return caps


def cell_uri(nb_path, i: int) -> str:
    return f"vscode-notebook-cell:{nb_path}#cell{i}"


async def open_notebook(client, tmp_path, cells=CELLS):
    await client.initialize_session(types.InitializeParams(
        capabilities=notebook_capabilities(), root_uri=from_fs_path(str(tmp_path)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(tmp_path)), name="root")]))
    path = tmp_path / "gating.ipynb"
    path.write_text("{}")
    uri = from_fs_path(str(path))
    uris = [cell_uri(path, i) for i in range(len(cells))]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=uri, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=kind, document=u) for (kind, _, _), u in zip(cells, uris)]),
        cell_text_documents=[types.TextDocumentItem(uri=u, language_id=lang, version=1, text=text)
                             for (_, lang, text), u in zip(cells, uris)]))
    return uri, uris


def latest(client, uri):
    for params in reversed(client.published):
        if params.uri == uri:
            return params
    return None


async def test_capabilities_announce_notebook_sync(client, tmp_path):
    result = await client.initialize_session(types.InitializeParams(capabilities=notebook_capabilities(),
                                                                    root_uri=from_fs_path(str(tmp_path))))
    [selector] = result.capabilities.notebook_document_sync.notebook_selector
    assert [c.language for c in selector.cells] == ["python"]


async def test_a_tensor_changed_in_a_later_cell_is_found_on_that_cell(client, tmp_path):
    nb, cells = await open_notebook(client, tmp_path)
    params = await published(client, cells[3])
    [diag] = params.diagnostics
    assert diag.code == "GG201" and diag.range == rng(1, 0, 1, 14)
    assert params.version == 1
    related = {(info.location.uri, info.location.range.start.line): info.message for info in diag.related_information}
    assert related == {(cells[2], 1): "`sigmoid` saves its output here", (cells[4], 1): "backward() fails here"}
    for other in (cells[1], cells[2], cells[4]):  # the other code cells are told they are clean
        assert not (await published(client, other)).diagnostics
    assert all(p.uri != cells[0] for p in client.published)  # never a markdown cell
    assert all(p.uri != nb for p in client.published)  # never the notebook itself

    text = (await hover(client, cells[3], 1, 3)).contents.value
    assert "cell 3, line 2: `sigmoid` saves its output here" in text
    assert "torch will raise at cell 5, line 2" in text

    actions = await code_actions(client, cells[3], rng(1, 0, 1, 14))
    fix = next(a for a in actions if a.is_preferred)
    assert list(fix.edit.changes) == [cells[3]]
    assert apply_edits(CELLS[3][2], fix.edit.changes[cells[3]]) == "!echo scaling\ngate = gate.mul(0.5)"


async def test_editing_moving_and_closing_cells(client, tmp_path):
    nb, cells = await open_notebook(client, tmp_path)
    await published(client, cells[3])
    # fix the cell: its diagnostic goes away
    mark = len(client.published)
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cells[3], version=2),
                changes=[types.TextDocumentContentChangePartial(range=rng(1, 0, 1, 14), text="gate = gate.mul(0.5)")])
        ]))))
    params = await published(client, cells[3], version=2, after=mark)
    assert not params.diagnostics
    # a new cell between the sigmoid and the backward that changes the gate in place
    new = cell_uri(tmp_path / "gating.ipynb", 9)
    mark = len(client.published)
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb, version=3),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=3, delete_count=0, cells=[
                    types.NotebookCell(kind=types.NotebookCellKind.Code, document=new)]),
                did_open=[types.TextDocumentItem(uri=new, language_id="python", version=1, text="gate.add_(1)")])))))
    params = await published(client, new, after=mark)
    assert [d.code for d in params.diagnostics] == ["GG201"]
    # remove it again: its diagnostics are cleared
    mark = len(client.published)
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb, version=4),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=3, delete_count=1),
                did_close=[types.TextDocumentIdentifier(uri=new)])))))
    params = await published(client, new, after=mark)
    assert not params.diagnostics
    # closing the notebook clears every cell
    await wait_until(lambda: latest(client, cells[4]) is not None)
    mark = len(client.published)
    client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        notebook_document=types.NotebookDocumentIdentifier(uri=nb),
        cell_text_documents=[types.TextDocumentIdentifier(uri=u) for u in cells]))
    await wait_until(lambda: {p.uri for p in client.published[mark:]} >= set(cells[1:]), what="cleared cells")
    assert all(not p.diagnostics for p in client.published[mark:])


async def test_fix_all_edits_every_cell_that_needs_it(client, tmp_path):
    cells = CELLS[:3] + [(types.NotebookCellKind.Code, "python", "gate.mul_(0.5)"),
                         (types.NotebookCellKind.Code, "python", "gate += 1\ngate.sum().backward()")]
    nb, uris = await open_notebook(client, tmp_path, cells)
    await published(client, uris[4])
    actions = await code_actions(client, uris[3], rng(0, 0, 0, 1), only=["source.fixAll"])
    [fix_all] = actions
    assert set(fix_all.edit.changes) == {uris[3], uris[4]}
    assert apply_edits(cells[3][2], fix_all.edit.changes[uris[3]]) == "gate = gate.mul(0.5)"
    assert apply_edits(cells[4][2], fix_all.edit.changes[uris[4]]).startswith("gate = gate + 1\n")
