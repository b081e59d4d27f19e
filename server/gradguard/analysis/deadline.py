"""The time limit of one analysis counts the CPU time of the thread that analyses, not the wall clock.

Session 23's audit of 239 research repositories ran `gradguard check` on a two-core machine shared with other
jobs: 24 files of three repositories stopped at the limit ("analysis stopped after 10 s (time limit)", or
the watchdog's "it ran 46 s past its time limit (a gradguard bug ...)"), and each of them needs 0.01 to 0.26 s of CPU
(bench/slow_files.py measures them): the process got a few per cent of a core for minutes. On the wall clock, the load
of the machine (a CI runner's neighbours, a laptop that sleeps, a debugger's pause) decides which files are analysed
in full, and the same command prints other findings on another day. The CPU time the analysis spent does not depend
on that. A loop of the engine spends CPU; waits that spend none are bounded on their own (jedi's budget,
project.py).

Cheap: the walk checks its deadline at every statement (context.Budget.check), on the monotonic clock as before. A
thread's CPU time never grows faster than the wall clock, so `at` (a monotonic time) is the earliest the limit can
be reached; only when the clock passes it is the thread's CPU time read (a system call, four times the cost of a
monotonic read), and `at` moved on by what is left. Python without a thread CPU clock counts the wall clock.
"""

from __future__ import annotations

import time


def _thread_cpu() -> float:
    return time.thread_time()


try:
    _thread_cpu()
except (AttributeError, OSError):  # no CLOCK_THREAD_CPUTIME_ID: the wall clock, as before
    _thread_cpu = time.monotonic


class Deadline:
    """Made on the analysing thread, read only there (the walk's statements, the cross-file passes)."""

    __slots__ = ("at", "cpu_at")

    def __init__(self, limit: float):
        self.at = time.monotonic() + limit
        self.cpu_at = _thread_cpu() + limit

    def reached(self) -> bool:
        """Has the thread spent the limit? Called once the monotonic clock is past `at`."""
        left = self.cpu_at - _thread_cpu()
        if left <= 0:
            return True
        self.at = time.monotonic() + left
        return False
