"""Applying fixes: analyse, apply the preferred fixes, repeat until none is left; write the files (`check --fix`)."""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path

from . import pyparse
from .engine import analyze
from .fixes import apply_edits, overlaps


def fix_source(source: str, path: str = "<string>", config=None, unsafe: bool = False, rounds: int = 4):
    """Apply the preferred fixes until none is left (or `rounds`); return (new source, titles of applied fixes).

    Never returns text that does not parse: a round whose result does not parse is dropped."""
    applied: list[str] = []
    current = source
    for _ in range(rounds):
        result = analyze(current, path, config)
        if result.error and not result.findings:
            break
        chosen, titles, taken = [], [], []
        for f in result.findings:
            fix = next((x for x in f.fixes if x.preferred and x.edits and (x.safe or unsafe)), None)
            if fix is None:
                continue
            if any(overlaps(e.span, t) for e in fix.edits for t in taken):
                continue
            chosen.extend(fix.edits)
            taken.extend(e.span for e in fix.edits)
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


def apply_to_results(results, config, write: bool, unsafe: bool, out, recheck):
    """CLI: fix each file; print a diff (or a summary); return results re-checked (`recheck(path)`) after fixing."""
    new_results = []
    fixed_files = 0
    for res in results:
        if res.source is None or not res.findings:
            new_results.append(res)
            continue
        new_text, applied = fix_source(res.source, res.path, config, unsafe=unsafe)
        if not applied or new_text == res.source:
            new_results.append(res)
            continue
        fixed_files += 1
        if write:
            write_atomically(res.path, new_text)
            for title in applied:
                out.write(f"fixed {res.path}: {title}\n")
            new_results.append(recheck(res.path))
        else:
            diff = difflib.unified_diff(res.source.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                        fromfile=Path(res.path).as_posix(), tofile=Path(res.path).as_posix())
            out.writelines(diff)
            new_results.append(res)
    if write:
        out.write(f"gradguard: fixed {fixed_files} file{'s' if fixed_files != 1 else ''}\n")
    return new_results
