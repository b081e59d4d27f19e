"""What `gradguard check` tells the person at the terminal besides the findings: the summary line and the progress
bar (stderr, only when it is a terminal)."""

from __future__ import annotations

import time

from .findings import Severity

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


def plural(n: int, word: str) -> str:
    # "information" is a mass noun: "13 information", not "13 informations"
    if n == 1 or word == Severity.INFORMATION.value:
        return f"{n} {word}"
    return f"{n} {word}s"


def summary(counts: dict[Severity, int], checked: int, with_findings: int, failed: int, missing: int,
            paths: list[str]) -> str:
    """One line: how many findings in how many of the files checked, and what could not be checked."""
    problems = []
    if failed:
        problems.append(f"{plural(failed, 'file')} could not be fully analysed (the reasons are on stderr)")
    if missing:
        problems.append(f"{plural(missing, 'path')} not found")
    tail = f"; {'; '.join(problems)}" if problems else ""
    total = sum(counts.values())
    if total:
        parts = ", ".join(plural(n, sev.value) for sev, n in counts.items())
        return (f"Found {plural(total, 'finding')} ({parts}) in {plural(with_findings, 'file')} "
                f"({checked} checked){tail}.")
    if checked == 0:
        where = ", ".join(paths)
        return f"No Python files to check in {where} (looked for {', '.join(SOURCE_SUFFIXES)} files){tail}."
    if problems:
        return f"No findings in {plural(checked, 'file')} checked{tail}."
    return f"All clear: {plural(checked, 'file')} checked, no findings."


class Progress:
    """`[#####.....] 120/631 files, 26.3 files/s` on one line of a terminal, redrawn at most 10 times a second."""

    WIDTH = 30

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = total
        self.done = 0
        self.start = time.monotonic()
        self.drawn = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.drawn >= 0.1 or self.done >= self.total:
            self.drawn = now
            self.stream.write("\r" + self.line(now - self.start))
            self.stream.flush()

    def line(self, elapsed: float) -> str:
        filled = self.WIDTH * self.done // max(self.total, 1)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        return (f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} files, "
                f"{rate:.1f} files/s")

    def close(self) -> None:
        self.stream.write("\r\x1b[K")  # leave the terminal as it was: the summary comes on stdout
        self.stream.flush()
