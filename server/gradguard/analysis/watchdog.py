"""A hard limit for one analysis: a bug that loops inside a helper never reaches the walk's deadline checks.

The walk checks its deadline at statement boundaries (context.Budget.check raises AnalysisTimeout). A loop inside a
helper (`lookup_order` on `class UpBlockMotion(UpBlockMotion)`, session 18) never gets there: the analysis never
ended, and its memory grew until the machine killed the process. `watched(analyse, time_limit)` runs one analysis
under a single watchdog thread shared by every analysis of the process. When the analysis runs GRACE seconds past its
time limit, or the process grows by more than MEMORY_GROWTH bytes from the watchdog's first look at it (at most
POLL seconds after it started; Linux: /proc/self/statm), the watchdog raises AnalysisStopped in the analysing thread
at its next bytecode (PyThreadState_SetAsyncExc), and again every REFIRE seconds until the analysis ends, should
something swallow it (a stop that lands in a gc callback or a __del__ is printed as "Exception ignored" and lost). `watched` returns the file's Analysis with a
one-line error and `timed_out`, and the findings of the scopes walked before the stop (checker.analyse_tree).

The time is the analysing thread's CPU time (Linux, BSD: its pthread CPU clock, read from the watchdog's thread), as
for the walk's own limit (deadline.py): an analysis starved by a busy machine is not "a gradguard bug", and it is
not stopped while it waits for the CPU. The wall clock still bounds it, at WALL_FACTOR times the limit and grace: a
wait that never ends (no CPU spent) is stopped too, with a message that says how much of that time it ran.

What it cannot stop: a loop inside C code that never returns to the interpreter (a regex that backtracks forever,
a C extension's own loop). The stop is raised when the thread runs Python bytecode again.
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
import time

from ..findings import Analysis

# CPU seconds past the analysis's own time limit before the watchdog stops it: the walk checks its limit at every
# statement, so only a loop of the engine that never reaches a statement (a bug) runs on that long
GRACE = 1.0
WALL_FACTOR = 10  # the wall clock's bound: this many times the time limit and grace, however little CPU it got
REFIRE = 1.0  # seconds between two stops of an analysis that does not end (a handler swallowed the first)
POLL = 0.5  # seconds between two looks at the memory while an analysis runs
# Bytes the process may grow during one analysis: of bench core.txt's 300 files (CLI, imports followed), the most
# one grew it was 36 MB (accelerate's accelerator.py).
MEMORY_GROWTH = 2 << 30
REPORT = "a gradguard bug; please report it with this file"


class AnalysisStopped(BaseException):
    """Raised by the watchdog inside the analysing thread. Not an Exception: the engine's `except Exception`
    clauses (a fix that cannot be built, an odd base class) must not swallow it. `found_so_far` holds the findings
    of the scopes walked before it (checker.analyse_tree)."""

    found_so_far: list = []


class _Watch:
    __slots__ = ("thread_id", "time_limit", "started", "due", "rss", "fired", "done", "reason", "allowed", "clock",
                 "cpu_started")

    def __init__(self, thread_id: int, time_limit: float):
        self.thread_id = thread_id
        self.time_limit = time_limit
        self.allowed = time_limit + GRACE
        self.clock = _cpu_clock(thread_id)  # None: the wall clock only
        self.started = time.monotonic()
        self.cpu_started = _read(self.clock)
        self.due = self.started + self.allowed  # the thread's CPU time cannot grow faster than the wall clock
        self.rss: int | None = None  # the process's resident size at the watchdog's first look at this analysis
        self.fired = False
        self.done = False
        self.reason = ""

    def ran(self) -> float | None:
        """CPU seconds the analysing thread spent since the watch began (None: no CPU clock)."""
        now = _read(self.clock)
        return None if now is None or self.cpu_started is None else now - self.cpu_started

    def over_time(self, now: float) -> bool:
        """The wall clock is past `due`: has the thread spent its limit and grace in CPU time, or waited
        WALL_FACTOR times that on the wall clock? If not, `due` moves on to the earliest it can be."""
        ran = self.ran()
        left = self.allowed - ran if ran is not None else 0.0
        wall_left = self.started + WALL_FACTOR * self.allowed - now
        if left <= 0 or wall_left <= 0:
            return True
        self.due = now + min(left, wall_left)
        return False


def _resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _cpu_clock(thread_id: int) -> int | None:
    """The CPU clock of a thread (threading.get_ident() is its pthread_t), or None (Windows, macOS)."""
    try:
        clock = time.pthread_getcpuclockid(thread_id)
        time.clock_gettime(clock)
        return clock
    except (AttributeError, OSError, OverflowError):
        return None


def _read(clock: int | None) -> float | None:
    try:
        return time.clock_gettime(clock) if clock is not None else None
    except OSError:  # the thread has ended
        return None


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# CPython's; None elsewhere (PyPy has no ctypes.pythonapi): then only the walk's own deadline checks hold.
_SET_ASYNC_EXC = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)


class Watchdog:
    def __init__(self):
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._watches: dict[int, _Watch] = {}  # analysing thread's id -> its watch
        self._thread: threading.Thread | None = None
        self._wakes_at = math.inf  # when the watchdog thread looks next (inf: it sleeps until an analysis starts)

    def watching(self) -> bool:
        """Does an analysis of this thread already run under the watchdog (a nested entry point)?"""
        return threading.get_ident() in self._watches

    def arm(self, watch: _Watch) -> None:
        with self._wake:
            self._watches[watch.thread_id] = watch
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="gradguard-watchdog", daemon=True)
                self._thread.start()
            elif watch.due < self._wakes_at:  # it sleeps without a timeout while nothing runs: only then is it woken
                self._wake.notify()  # (an analysis that starts while it looks every POLL seconds costs no switch)

    def disarm(self, watch: _Watch) -> None:
        """After this returns, no stop of `watch` is pending or can come: the caller's code is safe. A stop that
        lands in here (it fired just as the analysis ended) is caught, and the pending one cancelled under the lock
        that the watchdog fires under."""
        while True:
            try:
                with self._lock:
                    watch.done = True
                    if self._watches.get(watch.thread_id) is watch:
                        del self._watches[watch.thread_id]
                    if watch.fired:
                        _SET_ASYNC_EXC(ctypes.c_ulong(watch.thread_id), None)  # NULL: cancel a pending one
                return
            except AnalysisStopped:
                continue

    def _run(self) -> None:
        with self._wake:
            while True:
                if not self._watches:
                    self._wakes_at = math.inf
                    self._wake.wait()
                    continue
                now = time.monotonic()
                rss = _resident_bytes() if MEMORY_GROWTH else None
                for watch in self._watches.values():
                    if watch.rss is None:
                        watch.rss = rss
                    grown = rss - watch.rss if rss is not None and watch.rss is not None else 0
                    late = now >= watch.due and (watch.fired or watch.over_time(now))
                    if late or grown > MEMORY_GROWTH and not watch.fired:
                        if not watch.reason:
                            watch.reason = "time" if late else f"memory {grown}"
                        watch.fired = True
                        watch.due = now + REFIRE
                        _SET_ASYNC_EXC(ctypes.c_ulong(watch.thread_id), ctypes.py_object(AnalysisStopped))
                soonest = min(w.due for w in self._watches.values())
                timeout = max(0.0, min(POLL, soonest - now))
                self._wakes_at = now + timeout
                self._wake.wait(timeout)

    def _forked(self) -> None:
        """In a forked child (the CLI's -j workers) the watchdog thread does not exist: start afresh."""
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._watches = {}
        self._thread = None
        self._wakes_at = math.inf


WATCHDOG = Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=WATCHDOG._forked)


def stop_message(watch: _Watch) -> str:
    if watch.reason.startswith("memory"):
        grown = int(watch.reason.split()[1]) / (1 << 30)
        return f"analysis stopped: its memory grew by {grown:.1f} GiB ({REPORT})"
    ran, waited = watch.ran(), time.monotonic() - watch.started
    if ran is not None and ran < watch.allowed:  # the wall clock's bound
        return (f"analysis stopped after {waited:.0f} s on the clock ({WALL_FACTOR} times its time limit), {ran:.1f} s "
                f"of them running: the machine was too busy, or it waited on something ({REPORT} if the machine was "
                "idle)")
    past = max(0.0, (waited if ran is None else ran) - watch.time_limit)
    return f"analysis stopped: it ran {past:.{0 if past >= 1 else 1}f} s past its time limit ({REPORT})"


def watched(analyse, time_limit: float | None, stopped=None) -> Analysis:
    """`analyse()` (which returns an Analysis) under the watchdog. A nested call (check_source inside
    engine.analyze) runs under the outer one. `stopped()` runs after a stop (e.g. to drop the incremental state
    the stop may have left half-updated). No `time_limit`: no limit."""
    if not time_limit or _SET_ASYNC_EXC is None or WATCHDOG.watching():
        return analyse()
    watch = _Watch(threading.get_ident(), time_limit)
    try:
        try:
            WATCHDOG.arm(watch)  # in the try: a stop that lands right after it is still disarmed
            return analyse()
        finally:
            WATCHDOG.disarm(watch)
    except AnalysisStopped as stop:
        # A stop that fired as the analysis ended may land on entering the first disarm (before its own guard):
        # finish it. The watchdog fires again only REFIRE seconds later, long after this; then nothing can come.
        WATCHDOG.disarm(watch)
        if not watch.reason:  # raised by something else than this watch: not ours to turn into a result
            raise
        if stopped is not None:
            stopped()
        return Analysis(findings=list(stop.found_so_far), error=stop_message(watch), error_line=1, timed_out=True,
                        stopped=True)
