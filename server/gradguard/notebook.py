"""Jupyter notebooks: the code cells, in order, as one Python program, and positions mapped back to cells.

    program = notebook.combine([(1, "import torch\\nx = ..."), (3, "%time y = f(x)\\ny.mul_(2)")])
    program.source          # the cells' lines one after the other; magics and shell lines become `pass`
    program.locate(12)      # (cell key, line in the cell), 1-based lines; None between cells
    program.line_of(3, 2)   # the program line of line 2 of cell 3

Cells run top to bottom like "Run All", so a tensor made in one cell and changed in place in a later one, after
an op saved it, is found. Every line of a cell keeps its number and its columns in the program: a finding
maps back to (cell, line, column) by subtracting where the cell starts. IPython syntax that is not Python is
blanked line by line, keeping the indentation (`pass`): `%magic`, `!shell`, `x = !cmd`, `obj?`, and a cell
whose first line is a cell magic other than the timing ones (`%%bash`, `%%writefile`...) is blanked whole. A
cell that still does not parse is left out (Jupyter would raise SyntaxError for it and run the others), and
reported in `Program.skipped`.

Files: `read_notebook(text)` parses .ipynb JSON (nbformat 4); `dump_notebook` writes it back the way Jupyter
does (indent 1, key order and a final newline kept as they were).
"""

from __future__ import annotations

import ast
import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Optional

_NEWLINE = re.compile(r"\r\n|\r|\n")
# Cell magics whose body is Python that runs once (or is timed): keep the body.
PYTHON_BODY_MAGICS = {"time", "timeit", "capture", "prun", "debug", "memit", "lprun", "python", "python3",
                      "pypy", "cache", "skip"}
_ASSIGN_MAGIC = re.compile(r"^[\w.\[\]\s,()*]+=\s*[!%]")
_HELP = re.compile(r"^\??[\w.]+\?{1,2}$|^\?{1,2}[\w.*]+$")


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them (\\r\\n, \\r, \\n): "a\\n" has two lines, "a" and ""."""
    return _NEWLINE.split(text)


@dataclass(frozen=True)
class CellSpan:
    key: Hashable  # the cell's number (CLI, 1-based among all cells) or its document URI (LSP)
    start: int  # program line of the cell's first line (1-based)
    count: int  # how many lines the cell has


@dataclass
class Program:
    source: str
    cells: list[CellSpan] = field(default_factory=list)
    skipped: list[tuple[Hashable, str]] = field(default_factory=list)  # (cell key, why) for cells left out

    def __post_init__(self) -> None:
        self._starts = [c.start for c in self.cells]
        self._by_key = {c.key: c for c in self.cells}

    def __getstate__(self):  # picklable (the CLI checks files in worker processes)
        return {"source": self.source, "cells": self.cells, "skipped": self.skipped}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__post_init__()

    def locate(self, line: int) -> Optional[tuple[Hashable, int]]:
        """(cell key, 1-based line in the cell) of a 1-based program line; None outside every cell."""
        i = bisect.bisect_right(self._starts, line) - 1
        if i < 0:
            return None
        cell = self.cells[i]
        if line >= cell.start + cell.count:
            return None
        return cell.key, line - cell.start + 1

    def cell(self, key: Hashable) -> Optional[CellSpan]:
        return self._by_key.get(key)

    def line_of(self, key: Hashable, line: int) -> Optional[int]:
        cell = self._by_key.get(key)
        return None if cell is None else cell.start + line - 1


def python_lines(text: str) -> tuple[list[str], bool]:
    """The cell's lines with IPython-only syntax blanked (same count, same indentation); and whether the whole
    cell is a non-Python cell magic."""
    lines = split_lines(text)
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        name = lines[first].lstrip()[2:].split(None, 1)[0] if lines[first].strip() != "%%" else ""
        if name not in PYTHON_BODY_MAGICS:
            return ["" for _ in lines], True
        lines[first] = ""
    out = []
    for ln in lines:
        stripped = ln.strip()
        indent = ln[: len(ln) - len(ln.lstrip())]
        if stripped.startswith(("%", "!")) or _ASSIGN_MAGIC.match(stripped) or _HELP.match(stripped):
            out.append(f"{indent}pass" if indent else "")
        else:
            out.append(ln)
    return out, False


def _parses(text: str) -> Optional[str]:
    try:
        ast.parse(text)
        return None
    except SyntaxError as exc:
        return f"syntax error at line {exc.lineno or 1}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot parse: {type(exc).__name__}"


def cell_python(text: str) -> tuple[list[str], Optional[str]]:
    """The lines that stand for one cell in the program, and why the cell is left out (None: it is not)."""
    lines = split_lines(text)
    if _parses("\n".join(lines)) is None:
        return lines, None  # plain Python: a `%` or `!` inside a string stays as it is
    blanked, magic_cell = python_lines(text)
    if magic_cell:
        return blanked, None  # %%bash and the like: nothing of it is Python, nothing to say
    why = _parses("\n".join(blanked))
    if why is not None:
        return ["" for _ in lines], why
    return blanked, None


def combine(cells: Iterable[tuple[Hashable, str]]) -> Program:
    """One program of the code cells `(key, text)`, in the order given."""
    parts: list[str] = []
    spans: list[CellSpan] = []
    skipped: list[tuple[Hashable, str]] = []
    line = 1
    for key, text in cells:
        lines, why = cell_python(text)
        if why is not None:
            skipped.append((key, why))
        spans.append(CellSpan(key, line, len(lines)))
        parts.extend(lines)
        line += len(lines)
    return Program("\n".join(parts) + ("\n" if parts else ""), spans, skipped)


# -- .ipynb files ---------------------------------------------------------------------------------------------


class NotebookError(ValueError):
    pass


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def read_notebook(text: str) -> dict:
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError("not a notebook: no `cells` list (nbformat 4 is supported)")
    return nb


def is_python_notebook(nb: dict) -> bool:
    meta = nb.get("metadata") or {}
    language = ((meta.get("language_info") or {}).get("name") or (meta.get("kernelspec") or {}).get("language")
                or "python")
    return str(language).lower() in ("python", "python3", "ipython", "ipython3")


def code_cells(nb: dict) -> list[tuple[int, str]]:
    """(cell number, 1-based among all cells, markdown ones included; text) of the code cells."""
    if not is_python_notebook(nb):
        return []
    return [(i + 1, cell_text(c)) for i, c in enumerate(nb["cells"])
            if isinstance(c, dict) and c.get("cell_type") == "code"]


def program_of(nb: dict) -> Program:
    return combine(code_cells(nb))


def set_cell_text(nb: dict, number: int, text: str) -> None:
    cell = nb["cells"][number - 1]
    if isinstance(cell.get("source"), list):
        cell["source"] = text.splitlines(keepends=True)
    else:
        cell["source"] = text


def dump_notebook(nb: dict, original: str) -> str:
    """The notebook as JSON the way it was written: Jupyter's indent of 1 unless the file used another one,
    the keys in their order, non-ASCII text as is, a final newline if there was one."""
    indent: Any = 1
    m = re.search(r"\n([ \t]+)\S", original)
    if m:
        indent = m.group(1) if "\t" in m.group(1) else len(m.group(1))
    elif original.lstrip().startswith("{") and "\n" not in original.strip():
        indent = None
    ascii_only = original.isascii() and "\\u" in original
    out = json.dumps(nb, indent=indent, ensure_ascii=ascii_only)
    return out + ("\n" if original.endswith("\n") else "")


# -- analysing and fixing (the CLI) -----------------------------------------------------------------------------


def analyze_notebook(raw: str, path: str, config=None, project=None):
    """(Program, Analysis) of a .ipynb text; the findings' spans are program lines (`Program.locate` maps them).
    A cell left out because it does not parse is an error of the file, as a syntax error is for a .py file."""
    from .engine import analyze

    nb = read_notebook(raw)
    program = program_of(nb)
    result = analyze(program.source, path, config, project=project)
    if program.skipped:
        notes = [f"cell {key} was not analysed ({why})" for key, why in program.skipped]
        if result.error:
            notes.append(result.error)
        result.error = "; ".join(notes)
        result.error_line = result.error_line or 1
    return program, result


def fix_cells(cells: dict, path: str, config=None, unsafe: bool = False, project=None, rounds: int = 4):
    """Apply the preferred fixes inside the cells (`{cell key: text}`) until none is left; return the new texts
    and the titles of the fixes applied. A fix whose edits leave a cell is skipped; a round that would leave a
    cell that does not parse is dropped."""
    from .engine import analyze
    from .findings import Span, TextEdit
    from .fixes import apply_edits, overlaps

    current = dict(cells)
    applied: list[str] = []
    for _ in range(rounds):
        program = combine(current.items())
        result = analyze(program.source, path, config, project=project)
        if result.error and not result.findings:
            break
        per_cell: dict = {}
        taken: list = []
        titles: list[str] = []
        for f in result.findings:
            fix = next((x for x in f.fixes if x.preferred and x.edits and (x.safe or unsafe)), None)
            if fix is None or any(overlaps(e.span, t) for e in fix.edits for t in taken) or \
                    any(e.path for e in fix.edits):  # an edit of another file (where a module is built): not a cell's
                continue
            mapped = []
            for e in fix.edits:
                start, end = program.locate(e.span.line), program.locate(e.span.end_line)
                if start is None or end is None or start[0] != end[0]:
                    mapped = []
                    break
                mapped.append((start[0], TextEdit(Span(start[1], e.span.column, end[1], e.span.end_column),
                                                  e.new_text)))
            if not mapped:
                continue
            taken.extend(e.span for e in fix.edits)
            for key, edit in mapped:
                per_cell.setdefault(key, []).append(edit)
            cell, line = program.locate(f.span.line) or ("?", f.span.line)
            titles.append(f"{f.code} cell {cell}, line {line}: {fix.title}")
        if not per_cell:
            break
        new = dict(current)
        for key, edits in per_cell.items():
            new[key] = apply_edits(current[key], edits)
        if any(cell_python(new[key])[1] is not None for key in per_cell) or new == current:
            break
        current = new
        applied.extend(titles)
    return current, applied


def fix_notebook_results(results, config, write: bool, unsafe: bool, out, project=None, recheck=None):
    """CLI `--fix`/`--diff` for notebooks: fix inside the cells, write the notebook back (or print the diff of
    its JSON); return the results, re-checked after writing."""
    import difflib
    from pathlib import Path

    from .autofix import write_atomically

    new_results = []
    fixed = 0
    for res in results:
        if res.source is None or not res.findings:
            new_results.append(res)
            continue
        try:
            nb = read_notebook(res.source)
        except NotebookError:
            new_results.append(res)
            continue
        cells = dict(code_cells(nb))
        new_cells, applied = fix_cells(cells, res.path, config, unsafe=unsafe, project=project)
        changed = [key for key in cells if new_cells[key] != cells[key]]
        if not applied or not changed:
            new_results.append(res)
            continue
        for key in changed:
            set_cell_text(nb, key, new_cells[key])
        new_text = dump_notebook(nb, res.source)
        fixed += 1
        if write:
            write_atomically(res.path, new_text)
            for title in applied:
                out.write(f"fixed {res.path}: {title}\n")
            new_results.append(recheck(res.path) if recheck else res)
        else:
            posix = Path(res.path).as_posix()
            out.writelines(difflib.unified_diff(res.source.splitlines(keepends=True),
                                                new_text.splitlines(keepends=True), fromfile=posix, tofile=posix))
            new_results.append(res)
    if write and results:
        out.write(f"gradguard: fixed {fixed} notebook{'s' if fixed != 1 else ''}\n")
    return new_results
