"""Notebook documents: their cells analysed as one program, each diagnostic published to its cell. A mixin of
GradGuardServer (it uses the server's documents, scheduler and encoding)."""

from __future__ import annotations

from typing import Optional

from lsprotocol import types

from .. import engine
from .documents import GENERATIONS, DocState, contains, intersects
from .features import FIX_ALL_KIND, hover_markdown, kind_requested, preferred, stop_notices
from .notebooks import Notebook, fix_all_changes, move_cell_entries, place_label
from .text import LineIndex

ACTION_WAIT = 2.0  # seconds a code action waits for the analysis of the current text


class NotebookSync:
    def on_notebook_open(self, params: types.DidOpenNotebookDocumentParams) -> None:
        nb = Notebook.opened(params)
        old = self.docs.get(nb.uri)
        if old is not None and old.timer is not None:
            old.timer.cancel()
        if old is not None and old.notebook is not None:
            nb.published = old.notebook.published
        program = nb.program()
        self.docs[nb.uri] = DocState(nb.uri, program.source, nb.version, notebook=nb, program=program)
        for cell in nb.order:
            self.cell_owner[cell] = nb.uri
        self._schedule(nb.uri, 0)

    def on_notebook_change(self, params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        st = self.docs.get(uri)
        if st is None or st.notebook is None:
            self._log(f"ignored a change to notebook {uri}, which is not open", types.MessageType.Warning)
            return
        nb = st.notebook
        before = set(nb.order)
        edits = nb.change(params, self.encoding)
        st.version = nb.version
        if params.change is None or params.change.cells is None:
            return  # metadata only
        for cell_uri, edit in edits:
            st.entries = move_cell_entries(st.entries, cell_uri, edit)
        present = set(nb.order)
        st.entries = [e for e in st.entries if e.uri in present]
        for cell in before - present:
            if self.cell_owner.get(cell) == uri:
                del self.cell_owner[cell]
        for cell in present:
            self.cell_owner[cell] = uri
        st.program = nb.program()
        st.text = st.program.source
        st.gen = next(GENERATIONS)
        settings = self.settings_for(uri)
        if settings.lint_on_change:
            self._schedule(uri, settings.debounce_ms / 1000)
        elif st.timer is None and not self.pull_mode:
            st.timer = self.loop.call_later(settings.debounce_ms / 1000, self._republish, uri)

    def on_notebook_close(self, params: types.DidCloseNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        st = self.docs.get(uri)
        if st is None or st.notebook is None:
            return
        del self.docs[uri]
        self._waiting.discard(uri)
        for cell, owner in list(self.cell_owner.items()):
            if owner == uri:
                del self.cell_owner[cell]
        if st.timer is not None:
            st.timer.cancel()
        self._resolve(st, 1 << 62)
        engine.forget(st.path or st.uri)
        if not self.pull_mode:
            for cell in sorted(st.notebook.published | set(st.notebook.code_cell_uris())):
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell, diagnostics=[]))

    def _publish_cells(self, st: DocState) -> None:
        """Each code cell gets its diagnostics (an empty list too: it tells the client the cell is clean); a cell
        that left the notebook gets its old ones cleared."""
        nb = st.notebook
        by_cell: dict[str, list] = {}
        for entry in st.entries:
            by_cell.setdefault(entry.uri, []).append(entry.diagnostic)
        cells = nb.code_cell_uris()
        notices = stop_notices(st.analysis)  # the watchdog's stop: on the first code cell
        if notices and cells:
            by_cell.setdefault(cells[0], []).extend(notices)
        for cell_uri in cells + sorted(nb.published - set(cells)):
            cell = nb.cells.get(cell_uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=cell_uri, diagnostics=by_cell.get(cell_uri, []), version=cell.version if cell else None))
        nb.published = set(cells)

    def _cell_hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        uri = params.text_document.uri
        st = self.docs.get(self.cell_owner[uri])
        if st is None or st.notebook is None or st.analysed_program is None:
            return None
        hits = [e for e in st.entries if e.uri == uri and contains(e.diagnostic.range, params.position)]
        if not hits:
            return None
        program = st.analysed_program
        index = LineIndex(program.source, self.encoding)
        label = place_label(st.notebook, program)
        kind = types.MarkupKind.Markdown if self.markdown else types.MarkupKind.PlainText
        text = "\n\n---\n\n".join(hover_markdown(e.finding, index, self.markdown, label) for e in hits)
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=hits[0].diagnostic.range)

    async def _cell_code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        st = await self.ensure_fresh(self.cell_owner[uri], ACTION_WAIT)
        if st is None or st.notebook is None or not st.fresh:
            return []
        only = params.context.only if params.context else None
        actions: list[types.CodeAction] = []
        if kind_requested(types.CodeActionKind.QuickFix.value, only):
            for entry in st.entries:
                if entry.uri != uri or not intersects(entry.diagnostic.range, params.range):
                    continue
                for fix, edits in entry.fixes:
                    actions.append(types.CodeAction(
                        title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[entry.diagnostic],
                        edit=types.WorkspaceEdit(changes=entry.changes(uri, fix, edits)),
                        is_preferred=preferred(fix)))
        if kind_requested(FIX_ALL_KIND, only):
            changes = fix_all_changes(st.notebook, st.entries, self.encoding)
            if changes:
                actions.append(types.CodeAction(title="gradguard: fix all (safe fixes)", kind=FIX_ALL_KIND,
                                                edit=types.WorkspaceEdit(changes=changes)))
        return actions
