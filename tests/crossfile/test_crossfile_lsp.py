"""The language server follows calls into the workspace's other files, and keeps up with them: a change on disk
(workspace/didChangeWatchedFiles, registered for **/*.py) or in an open buffer re-analyses the documents that
followed the file."""

from __future__ import annotations

import asyncio
import textwrap

from lsp_helpers import capabilities, change, code_actions, debug_info, open_doc, published, rng, wait_until, write
from lsprotocol import types
from pygls.uris import from_fs_path

MAIN = """\
import torch

from helpers import scale_

x = torch.randn(4, requires_grad=True)
y = torch.sigmoid(x)
scale_(y, 2.0)
y.sum().backward()
"""
MUTATING = "def scale_(t, k):\n    t.mul_(k)\n    return t\n"
CLONING = "def scale_(t, k):\n    t = t.clone()\n    t.mul_(k)\n    return t\n"


async def start(client, root, watch=True):
    caps = capabilities()
    caps.workspace.did_change_watched_files = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=watch)
    await client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=from_fs_path(str(root)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)), name="root")]))


async def test_the_call_is_underlined_and_the_helper_line_is_related(client, tmp_path):
    await start(client, tmp_path)
    helpers = write(tmp_path, "helpers.py", MUTATING)
    main = write(tmp_path, "main.py", MAIN)
    open_doc(client, main, MAIN)
    [diag] = (await published(client, main, 1)).diagnostics
    assert diag.code == "GG201" and diag.range == rng(6, 0, 6, 14)
    helper_info = [i for i in diag.related_information if i.location.uri == helpers]
    assert [(i.location.range, i.message) for i in helper_info] == [(rng(1, 4, 1, 13), "`scale_` does it here")]


async def test_watched_files_are_registered_and_a_change_on_disk_is_seen(client, tmp_path):
    await start(client, tmp_path)
    await wait_until(lambda: client.registrations, what="a registration")
    [reg] = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert [w["globPattern"] for w in reg.register_options["watchers"]] == ["**/*.py"]
    helpers = write(tmp_path, "helpers.py", MUTATING)
    main = write(tmp_path, "main.py", MAIN)
    open_doc(client, main, MAIN)
    assert [d.code for d in (await published(client, main, 1)).diagnostics] == ["GG201"]
    mark = len(client.published)
    write(tmp_path, "helpers.py", CLONING)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=helpers, type=types.FileChangeType.Changed)]))
    assert not (await published(client, main, after=mark)).diagnostics


async def test_no_registration_without_the_client_capability(client, tmp_path):
    await start(client, tmp_path, watch=False)
    main = write(tmp_path, "main.py", MAIN)
    write(tmp_path, "helpers.py", MUTATING)
    open_doc(client, main, MAIN)
    await published(client, main, 1)
    assert client.registrations == []


async def test_an_open_buffer_of_the_helper_is_what_the_caller_sees(client, tmp_path):
    await start(client, tmp_path)
    helpers = write(tmp_path, "helpers.py", CLONING)
    main = write(tmp_path, "main.py", MAIN)
    open_doc(client, main, MAIN)
    assert not (await published(client, main, 1)).diagnostics
    open_doc(client, helpers, CLONING)
    await published(client, helpers, 1)
    mark = len(client.published)
    change(client, helpers, 2, (None, MUTATING))  # typed, not saved
    params = await published(client, main, after=mark)
    assert [d.code for d in params.diagnostics] == ["GG201"]
    mark = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=helpers)))
    await wait_until(lambda: any(p.uri == main and not p.diagnostics for p in client.published[mark:]),
                     what="main.py analysed again with the file on disk")


async def test_follow_imports_can_be_turned_off(client, tmp_path):
    await client.initialize_session(types.InitializeParams(
        capabilities=capabilities(), root_uri=from_fs_path(str(tmp_path)),
        initialization_options={"settings": {"followImports": False}}))
    write(tmp_path, "helpers.py", MUTATING)
    main = write(tmp_path, "main.py", MAIN)
    open_doc(client, main, MAIN)
    assert not (await published(client, main, 1)).diagnostics


async def test_a_notebook_follows_the_workspace_too(client, tmp_path):
    caps = capabilities()
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities())
    await client.initialize_session(types.InitializeParams(capabilities=caps, root_uri=from_fs_path(str(tmp_path))))
    helpers = write(tmp_path, "helpers.py", MUTATING)
    nb = from_fs_path(str(tmp_path / "nb.ipynb"))
    cells = [f"{nb}#c{i}".replace("file:", "vscode-notebook-cell:") for i in range(2)]
    texts = ["import torch\nfrom helpers import scale_\ny = torch.sigmoid(torch.randn(3, requires_grad=True))",
             textwrap.dedent("""\
                 scale_(y, 2.0)
                 y.sum().backward()""")]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(uri=nb, notebook_type="jupyter-notebook", version=1, cells=[
            types.NotebookCell(kind=types.NotebookCellKind.Code, document=u) for u in cells]),
        cell_text_documents=[types.TextDocumentItem(uri=u, language_id="python", version=1, text=t)
                             for u, t in zip(cells, texts)]))
    [diag] = (await published(client, cells[1])).diagnostics
    assert diag.range.start.line == 0
    assert {i.location.uri for i in diag.related_information} == {helpers, cells[0], cells[1]}


STEP = """\
import torch

from helpers import scale_


@torch.enable_grad()
def step():
    x = torch.randn(4, requires_grad=True)
    y = torch.sigmoid(x)
    scale_(y, 2.0)
    y.sum().backward()
"""


async def test_a_scope_reused_by_the_incremental_analysis_still_follows_the_file_on_disk(client, tmp_path):
    """After an edit elsewhere in main.py, `step` is not walked again (its result is reused), so that analysis
    followed nothing; a later change of helpers.py must still reach main.py."""
    await start(client, tmp_path)
    helpers = write(tmp_path, "helpers.py", MUTATING)
    main = write(tmp_path, "main.py", STEP)
    open_doc(client, main, STEP)
    assert [d.code for d in (await published(client, main, 1)).diagnostics] == ["GG201"]
    change(client, main, 2, (rng(11, 0, 11, 0), "print('ready')\n"))
    assert [d.code for d in (await published(client, main, 2)).diagnostics] == ["GG201"]
    mark = len(client.published)
    write(tmp_path, "helpers.py", CLONING)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=helpers, type=types.FileChangeType.Changed)]))
    assert not (await published(client, main, after=mark)).diagnostics


BLOCKS = """\
from torch import nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(x)
"""
USES_HEAD = """\
import torch

from blocks import Head

s = torch.sigmoid(torch.randn(4, requires_grad=True))
out = Head()(s)
out.sum().backward()
"""


async def test_the_quick_fix_edits_the_file_that_builds_the_module(client, tmp_path):
    """`inplace=False` where the module is built, in blocks.py: the code action's WorkspaceEdit changes that file's
    URI (and not main.py); fix-all, which changes only the document asked for, leaves it out."""
    await start(client, tmp_path)
    blocks = write(tmp_path, "blocks.py", BLOCKS)
    main = write(tmp_path, "main.py", USES_HEAD)
    open_doc(client, main, USES_HEAD)
    [diag] = (await published(client, main, 1)).diagnostics
    assert diag.code == "GG201" and diag.range.start.line == 5
    actions = await code_actions(client, main, diag.range)
    [fix] = [a for a in actions if a.title.startswith("Set `inplace=False`")]
    assert fix.title == "Set `inplace=False` where the module is built (blocks.py, line 7)" and fix.is_preferred
    assert {u: list(e) for u, e in fix.edit.changes.items()} == {
        blocks: [types.TextEdit(range=rng(6, 35, 6, 39), new_text="False")]}
    assert all(a.is_preferred is False for a in actions if a is not fix)
    assert not await code_actions(client, main, rng(0, 0, 0, 0), only=["source.fixAll.gradguard"])



async def _main_analysed(client, main):
    for _ in range(300):
        if (await debug_info(client))["documents"][main]["fresh"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("main.py never analysed")


def _close(client, uri):
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_closing_a_saved_buffer_leaves_its_followers_alone(client, tmp_path):
    """The buffer held what the disk holds: the documents that followed it would read the same text, so closing it
    schedules none of them again (main.py keeps its generation); closing a buffer with unsaved changes does."""
    await start(client, tmp_path)
    helpers = write(tmp_path, "helpers.py", MUTATING)
    main = write(tmp_path, "main.py", MAIN)
    open_doc(client, main, MAIN)
    assert [d.code for d in (await published(client, main, 1)).diagnostics] == ["GG201"]
    open_doc(client, helpers, MUTATING)
    await _main_analysed(client, main)
    before = (await debug_info(client))["documents"][main]["generation"]
    _close(client, helpers)
    assert (await debug_info(client))["documents"][main]["generation"] == before, "main.py was scheduled again"

    open_doc(client, helpers, MUTATING)
    change(client, helpers, 2, (None, CLONING))  # typed, not saved
    await _main_analysed(client, main)
    before = (await debug_info(client))["documents"][main]["generation"]
    _close(client, helpers)
    assert (await debug_info(client))["documents"][main]["generation"] != before
