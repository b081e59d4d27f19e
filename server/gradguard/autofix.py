"""Applying fixes: analyse, apply the preferred fixes, repeat until none is left; write the files (`check --fix`).

A fix may edit another file of the project (`inplace=False` where an in-place module is built, when the module's
class is in another workspace file): those edits are collected from the findings of every checked file first and
applied to their files, then each checked file gets its own fixes."""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path

from . import pyparse
from .engine import analyze
from .fixes import apply_edits, overlaps


def preferred_fix(finding, unsafe: bool):
    return next((x for x in finding.fixes if x.preferred and x.edits and (x.safe or unsafe)), None)


def fix_source(source: str, path: str = "<string>", config=None, unsafe: bool = False, rounds: int = 4, project=None):
    """Apply the preferred fixes until none is left (or `rounds`); return (new source, titles of applied fixes).

    Never returns text that does not parse: a round whose result does not parse is dropped. With `project`, calls
    into the workspace's other files are followed (their findings get their fixes here too); a fix that edits
    another file is left to the caller (`other_file_edits`)."""
    applied: list[str] = []
    current = source
    for _ in range(rounds):
        result = analyze(current, path, config, project=project)
        if result.error and not result.findings:
            break
        chosen, titles, taken = [], [], []
        # an unsafe fix waits for a round without safe ones: the safe fixes of this round may settle its finding
        # (a second critic's step whose recompute comes once the first one's is in) or change what it moves past
        some_safe = unsafe and any((fx := preferred_fix(f, False)) is not None and not any(e.path for e in fx.edits)
                                   for f in result.findings)
        for f in result.findings:
            fix = preferred_fix(f, unsafe)
            if fix is None or any(e.path for e in fix.edits) or (some_safe and not fix.safe):
                continue
            fresh = [e for e in fix.edits if e not in chosen]  # two findings of one line may propose one clone
            if not fresh or any(overlaps(e.span, t) for e in fresh for t in taken):
                continue
            chosen.extend(fresh)
            taken.extend(e.span for e in fresh)
            titles.append(f"{f.code} line {f.span.line}: {fix.title}")
        if not chosen:
            break
        candidate = apply_edits(current, chosen)
        try:
            pyparse.parse(candidate)
        except SyntaxError:
            break
        if candidate == current:
            break
        current = candidate
        applied.extend(titles)
    return current, applied


def other_file_edits(results, unsafe: bool) -> dict[str, tuple[list, list[str]]]:
    """realpath -> (edits, titles): the preferred fixes of the results' findings that edit another file, without
    duplicates (two files that use one module propose the same edit) or overlaps."""
    out: dict[str, tuple[list, list[str]]] = {}
    for res in results:
        for f in res.findings:
            fix = preferred_fix(f, unsafe)
            if fix is None or not any(e.path for e in fix.edits):
                continue
            for e in fix.edits:
                if not e.path:
                    continue
                edits, titles = out.setdefault(os.path.realpath(e.path), ([], []))
                if e in edits or any(overlaps(e.span, o.span) for o in edits):
                    continue
                edits.append(e)
                titles.append(f"{f.code} ({Path(res.path).as_posix()} {place(res, f.span.line)}): {fix.title}")
    return out


def place(res, line: int) -> str:
    """`line 8`, or in a notebook `cell 2, line 3`."""
    from .output import cell_place

    cell, at = cell_place(res, line)
    return f"cell {cell}, line {at}" if cell is not None else f"line {line}"


def edits_elsewhere(res, unsafe: bool) -> bool:
    return any(e.path for f in res.findings for e in (getattr(preferred_fix(f, unsafe), "edits", None) or ()))


def read_source(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def write_atomically(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gradguard-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        try:
            os.chmod(tmp, os.stat(path).st_mode)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def apply_to_results(results, config, write: bool, unsafe: bool, out, recheck, project=None, also=()):
    """CLI: fix each file (and the other files the fixes edit, also those of the findings of `also`: notebooks,
    fixed on their own); print a diff (or a summary); return results re-checked (`recheck(path)`) after fixing."""
    from .output import display_path

    checked = {os.path.realpath(r.path): r for r in results}
    # 1. edits of other files, applied to their text first (a file that is checked too then gets its own fixes)
    start: dict[str, str] = {}
    titles: dict[str, list[str]] = {}
    for real, (edits, why) in other_file_edits(list(results) + list(also), unsafe).items():
        res = checked.get(real)
        original = res.source if res is not None and res.source is not None else read_source(real)
        if original is None:
            continue
        bom = "\ufeff" if original.startswith("\ufeff") else ""  # the analysis counted columns without it
        candidate = bom + apply_edits(original[len(bom):], edits)
        try:
            pyparse.parse(candidate[len(bom):])
        except SyntaxError:
            continue
        start[real], titles[real] = candidate, list(why)
    # 2. each checked file's own fixes
    changed: dict[str, tuple[str, str, str]] = {}  # realpath -> (shown path, original, new text)
    for res in results:
        real = os.path.realpath(res.path)
        if res.source is None or (not res.findings and real not in start):
            continue
        new_text, applied = fix_source(start.get(real, res.source), res.path, config, unsafe=unsafe, project=project)
        if new_text != res.source:
            changed[real] = (res.path, res.source, new_text)
            titles[real] = titles.get(real, []) + applied
    for real, text in start.items():  # files only another file's fix changes
        if real not in checked:
            original = read_source(real)
            if original is not None and text != original:
                changed[real] = (display_path(real), original, text)
    # 3. write (or show) them, then check again what may have changed
    for real, (shown, original, new_text) in changed.items():
        if write:
            write_atomically(real if real not in checked else checked[real].path, new_text)
            for title in titles.get(real, []):
                out.write(f"fixed {shown}: {title}\n")
        else:
            diff = difflib.unified_diff(original.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                        fromfile=Path(shown).as_posix(), tofile=Path(shown).as_posix())
            out.writelines(diff)
    if write:
        out.write(f"gradguard: fixed {len(changed)} file{'s' if len(changed) != 1 else ''}\n")
        # a file whose finding is fixed in another file (where its module is built) changes when that file does
        return [recheck(r.path) if os.path.realpath(r.path) in changed or (changed and edits_elsewhere(r, unsafe))
                else r for r in results]
    return list(results)
