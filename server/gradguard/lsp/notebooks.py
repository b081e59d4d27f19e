"""Notebook documents (LSP 3.17 notebookDocument/*): the cells, their texts, and findings moved into cells.

The server analyses a notebook's Python code cells as one program (`gradguard.notebook.combine`, in the
notebook's order), builds the diagnostics on that program as for any document, then moves each one into the
cell it belongs to (`cell_entries`): its range, its related locations (other cells get their own URIs), its
fixes (kept when every edit stays in that cell). Cell lines keep their columns in the program, so a move is a
line offset. Pure functions and plain state; the server does the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import attrs
from lsprotocol import types

from ..notebook import Program, cell_python, combine
from .features import Entry, _range_json, fix_all_edits, move_entries
from .text import Edit, LineIndex, apply_change

CODE = types.NotebookCellKind.Code


@dataclass
class Cell:
    uri: str
    kind: int = CODE
    text: str = ""
    version: Optional[int] = None
    language: str = "python"

    @property
    def is_python(self) -> bool:
        return self.kind == CODE and (self.language or "python").lower() in ("python", "py", "python3", "ipython")


@dataclass
class Notebook:
    uri: str
    notebook_type: str = "jupyter-notebook"
    version: Optional[int] = None
    order: list[str] = field(default_factory=list)  # cell URIs in the notebook's order
    cells: dict[str, Cell] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)  # cells that were sent diagnostics (to clear them later)

    @classmethod
    def opened(cls, params: types.DidOpenNotebookDocumentParams) -> "Notebook":
        doc = params.notebook_document
        nb = cls(doc.uri, doc.notebook_type, doc.version)
        texts = {item.uri: item for item in params.cell_text_documents or []}
        for cell in doc.cells or []:
            item = texts.get(cell.document)
            nb.order.append(cell.document)
            nb.cells[cell.document] = Cell(cell.document, cell.kind, item.text if item else "",
                                           item.version if item else None, item.language_id if item else "python")
        return nb

    def change(self, params: types.DidChangeNotebookDocumentParams, encoding: str) -> list[tuple[str, Edit]]:
        """Apply a didChange; returns the text edits made inside cells (to move their diagnostics)."""
        self.version = params.notebook_document.version
        changes = params.change.cells if params.change else None
        if changes is None:
            return []
        edits: list[tuple[str, Edit]] = []
        if changes.structure is not None:
            array = changes.structure.array
            new_cells = [c.document for c in array.cells or []]
            self.order[array.start:array.start + array.delete_count] = new_cells
            for cell in array.cells or []:
                self.cells.setdefault(cell.document, Cell(cell.document, cell.kind))
                self.cells[cell.document].kind = cell.kind
            for item in changes.structure.did_open or []:
                self.cells[item.uri] = Cell(item.uri, self.cells.get(item.uri, Cell(item.uri)).kind, item.text,
                                            item.version, item.language_id)
            for ident in changes.structure.did_close or []:
                if ident.uri not in self.order:
                    self.cells.pop(ident.uri, None)
            for uri in [u for u in self.cells if u not in self.order]:
                self.cells.pop(uri, None)
        for cell in changes.data or []:
            if cell.document in self.cells:
                self.cells[cell.document].kind = cell.kind
        for content in changes.text_content or []:
            cell = self.cells.get(content.document.uri)
            if cell is None:
                continue
            for change in content.changes:
                cell.text, edit = apply_change(cell.text, change, encoding)
                edits.append((cell.uri, edit))
            cell.version = content.document.version
        return edits

    def program(self) -> Program:
        return combine((uri, self.cells[uri].text) for uri in self.order
                       if uri in self.cells and self.cells[uri].is_python)

    def number(self, uri: str) -> int:
        """1-based position of the cell in the notebook (markdown cells counted), as users count them."""
        return self.order.index(uri) + 1 if uri in self.order else 0

    def code_cell_uris(self) -> list[str]:
        return [u for u in self.order if u in self.cells and self.cells[u].is_python]


def _shift(rng: types.Range, lines: int) -> types.Range:
    return types.Range(start=types.Position(rng.start.line + lines, rng.start.character),
                       end=types.Position(rng.end.line + lines, rng.end.character))


def _cell_of(program: Program, rng: types.Range) -> Optional[tuple[str, int]]:
    """(cell URI, lines to add) when the range lies in one cell; LSP lines are 0-based."""
    start = program.locate(rng.start.line + 1)
    end = program.locate(rng.end.line + 1)
    if start is None:
        return None
    if end is None or end[0] != start[0]:
        cell = program.cell(start[0])
        if not (rng.end.line + 1 == cell.start + cell.count and rng.end.character == 0):
            return None
    return start[0], 1 - program.cell(start[0]).start


def cell_entries(entries: list[Entry], program: Program, notebook_uri: str) -> list[Entry]:
    """Entries built on the program (document URI = the notebook's), each moved into its cell."""
    out = []
    for entry in entries:
        diag = entry.diagnostic
        place = _cell_of(program, diag.range)
        if place is None:
            continue
        uri, delta = place
        related = []
        for info in diag.related_information or []:
            if info.location.uri != notebook_uri:
                related.append(info)
                continue
            other = _cell_of(program, info.location.range)
            if other is None:
                continue
            related.append(types.DiagnosticRelatedInformation(
                location=types.Location(uri=other[0], range=_shift(info.location.range, other[1])),
                message=info.message))
        fixes = []
        for fix, edits in entry.fixes:
            moved = []
            for edit in edits:
                at = _cell_of(program, edit.range)
                if at is None or at[0] != uri:
                    moved = None
                    break
                moved.append(types.TextEdit(range=_shift(edit.range, delta), new_text=edit.new_text))
            if moved is not None:
                fixes.append((fix, moved))
        data = dict(diag.data or {})
        data["fixes"] = [
            {"title": fix.title, "preferred": fix.preferred, "safe": fix.safe,
             "edits": [{"range": _range_json(e.range), "newText": e.new_text} for e in edits]}
            for fix, edits in fixes
        ]
        moved_diag = attrs.evolve(diag, range=_shift(diag.range, delta), related_information=related or None,
                                  data=data)
        out.append(Entry(entry.finding, moved_diag, fixes, uri=uri, elsewhere=entry.elsewhere))
    return out


def move_cell_entries(entries: list[Entry], cell_uri: str, edit: Edit) -> list[Entry]:
    """Entries of the cell follow an edit of its text (dropped where the edit touches them)."""
    return move_entries(entries, cell_uri, edit, belongs=lambda entry: entry.uri == cell_uri)


def place_label(nb: Notebook, program: Program) -> Callable[[int], str]:
    """How a hover names a program line: "cell 3, line 2"."""
    def label(line: int) -> str:
        at = program.locate(line)
        return f"cell {nb.number(at[0])}, line {at[1]}" if at else f"line {line}"
    return label


def fix_all_changes(nb: Notebook, entries: list[Entry], encoding: str) -> dict[str, list[types.TextEdit]]:
    """The safe preferred fixes, cell by cell; a cell whose fixed text would not parse gets none."""
    changes: dict[str, list[types.TextEdit]] = {}
    for uri in nb.code_cell_uris():
        edits = fix_all_edits([e for e in entries if e.uri == uri])
        if not edits:
            continue
        text = nb.cells[uri].text
        index = LineIndex(text, encoding)
        new = text
        for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            new = new[: index.offset(edit.range.start)] + edit.new_text + new[index.offset(edit.range.end):]
        if cell_python(new)[1] is None:
            changes[uri] = edits
    return changes
