"""The watchdog (analysis/watchdog.py): an engine loop that never reaches a deadline check is stopped from outside.

Each test makes an engine function loop forever (as `context.lookup_order` did on `class A(A)`), with a tiny time
limit and grace, and checks that the analysis comes back with the stop's message, that the next one works, and
that a stop never reaches the caller's code after an analysis that ended in time."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gradguard import engine
from gradguard.analysis import checker, watchdog
from gradguard.analysis.interpreter import Interpreter
from gradguard.config import Config
from gradguard.findings import Analysis

LIMIT, GRACE = 0.2, 0.3
# seconds on the wall clock: generous for a loaded machine, where the limit and grace (CPU seconds) take several
# times as long; a missing watchdog never returns at all
BOUND = 30.0
STOPPED = "analysis stopped: it ran"

SAVED = """import torch

x = torch.randn(3, requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
y.sum().backward()


class Stuck(torch.nn.Module):
    def forward(self, x):
        return self.helper(x)

    def helper(self, x):
        return x
"""


def loop_forever(*args, **kwargs):
    while True:
        pass


def grow_forever(*args, **kwargs):
    grown = []
    while len(grown) < 1_000_000:  # ~0.6 GB: without a watchdog the test fails, it does not eat the machine
        grown.append([0] * 64)
    loop_forever()


@pytest.fixture
def tiny_grace(monkeypatch):
    monkeypatch.setattr(watchdog, "GRACE", GRACE)
    monkeypatch.setattr(watchdog, "WALL_FACTOR", 50)  # a loaded machine: the stop still comes from the CPU time
    monkeypatch.setattr(checker, "DEFAULT_TIME_LIMIT", LIMIT)  # engine.analyze's time limit


def timed(analyse):
    """Runs `analyse` on a daemon thread, so that a missing watchdog fails the test instead of hanging it."""
    out = {}
    thread = threading.Thread(target=lambda: out.setdefault("result", analyse()), daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive(), "the analysis was not stopped"
    return out["result"], time.monotonic() - started


@pytest.mark.parametrize("stuck", [loop_forever, grow_forever])
def test_check_source_stops_a_loop_in_the_engine_and_the_next_analysis_works(tiny_grace, monkeypatch, stuck):
    monkeypatch.setattr(Interpreter, "run_block", stuck)  # every analysis walks the module's statements
    result, took = timed(lambda: checker.check_source(SAVED, "a.py", Config(), time_limit=LIMIT))
    assert result.error.startswith(STOPPED) and "please report it" in result.error
    assert result.timed_out and result.stopped and result.error_line == 1
    assert LIMIT + GRACE <= took < BOUND
    monkeypatch.undo()
    again = checker.check_source(SAVED, "a.py", Config(), time_limit=LIMIT)
    assert again.error is None and [f.code for f in again.findings] == ["GG201"]


def test_the_findings_of_the_scopes_walked_before_the_stop_are_kept(tiny_grace, monkeypatch):
    walk = checker.start_walk

    def stuck_in_helper(ctx, info, fn, *args):
        if fn.name == "helper":
            loop_forever()
        return walk(ctx, info, fn, *args)

    monkeypatch.setattr(checker, "start_walk", stuck_in_helper)
    result, _ = timed(lambda: checker.check_source(SAVED, "a.py", Config(), time_limit=LIMIT))
    assert result.stopped and [(f.code, f.span.line) for f in result.findings] == [("GG201", 5)]


def test_engine_analyze_stops_and_drops_the_documents_incremental_state(tiny_grace, monkeypatch):
    monkeypatch.setattr("gradguard.analysis.context.lookup_order", loop_forever)
    result, _ = timed(lambda: engine.analyze(SAVED, "/t/stuck.py", incremental=True))
    assert result.stopped and result.error.startswith(STOPPED)
    assert "/t/stuck.py" not in engine._DOCUMENTS
    monkeypatch.undo()
    again = engine.analyze(SAVED, "/t/stuck.py", incremental=True)
    assert again.error is None and [f.code for f in again.findings] == ["GG201"] and again.findings[0].fixes


def test_a_stop_with_a_project_leaves_it_usable(tiny_grace, monkeypatch, tmp_path):
    from gradguard.project import Project

    (tmp_path / "helpers.py").write_text("def double_(t):\n    t.mul_(2)\n")
    source = "import torch\nfrom helpers import double_\n\nx = torch.randn(3, requires_grad=True)\ndouble_(x)\n"
    project = Project(str(tmp_path))
    monkeypatch.setattr(Interpreter, "run_block", loop_forever)
    result, _ = timed(lambda: engine.analyze(source, str(tmp_path / "train.py"), project=project))
    assert result.stopped
    monkeypatch.undo()
    again = engine.analyze(source, str(tmp_path / "train.py"), project=project)
    assert again.error is None and [f.code for f in again.findings] == ["GG101"]
    assert again.dependencies == [str(tmp_path / "helpers.py")]


def test_the_memory_limit_stops_a_loop_that_grows_before_the_time_limit(monkeypatch):
    if watchdog._resident_bytes() is None:
        pytest.skip("no /proc/self/statm: only the time limit holds")
    monkeypatch.setattr(watchdog, "MEMORY_GROWTH", 64 << 20)
    monkeypatch.setattr(Interpreter, "run_block", grow_forever)
    result, took = timed(lambda: checker.check_source(SAVED, "a.py", Config(), time_limit=60))
    assert result.stopped and "memory grew by" in result.error and took < BOUND


def test_an_analysis_that_waits_for_the_cpu_is_not_stopped(tiny_grace, monkeypatch):
    """The limit and the grace count the CPU time of the analysing thread: a busy machine or a pause (here a sleep,
    twice the limit and grace) is no gradguard bug, and the analysis goes on to its findings."""
    checker.check_source(SAVED, "warm.py", Config(), time_limit=None)  # lazy imports, before the tiny limit
    walk = Interpreter.run_block
    waited = []

    def wait_then_walk(self, body, state):
        if not waited:
            waited.append(time.sleep(2 * (LIMIT + GRACE)))
        return walk(self, body, state)

    monkeypatch.setattr(Interpreter, "run_block", wait_then_walk)
    result, took = timed(lambda: checker.check_source(SAVED, "a.py", Config(), time_limit=LIMIT))
    assert took >= 2 * (LIMIT + GRACE) and waited
    assert result.error is None and [f.code for f in result.findings] == ["GG201"]


def wait_forever(*args, **kwargs):
    while True:
        time.sleep(0.01)  # no CPU spent; a stop lands between two sleeps


def test_a_wait_that_never_ends_is_stopped_on_the_wall_clock(tiny_grace, monkeypatch):
    monkeypatch.setattr(watchdog, "WALL_FACTOR", 3)
    monkeypatch.setattr(Interpreter, "run_block", wait_forever)
    result, took = timed(lambda: checker.check_source(SAVED, "a.py", Config(), time_limit=LIMIT))
    assert result.stopped and result.timed_out and took >= 3 * (LIMIT + GRACE)
    assert result.error.startswith("analysis stopped after") and "times its time limit), 0." in result.error


def caller_code(seconds: float) -> None:
    """The caller's own code after an analysis: a stop pending or fired late would land here."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_stop_never_reaches_the_caller_after_an_analysis_that_ended(monkeypatch):
    """Analyses that end just before, at or after the due time: whatever the race, the stop is either the
    analysis's result or cancelled; the caller's own loop afterwards never sees it."""
    monkeypatch.setattr(watchdog, "GRACE", 0.0)
    limit = 0.005
    stopped = 0
    for i in range(150):
        spin = limit * (0.5 + 2.5 * (i % 11) / 10)  # ends between 0.5 and 3 times the due time
        result = watchdog.watched(functools.partial(caller_code_then_result, spin), limit)
        stopped += result.stopped
        caller_code(0.01)
    assert 0 < stopped < 150, "the runs must straddle the due time for this test to mean anything"
    assert not watchdog.WATCHDOG._watches  # none left armed, to fire again later into the caller's code


def caller_code_then_result(seconds: float) -> Analysis:
    caller_code(seconds)
    return Analysis()


def test_a_stop_that_fires_as_the_analysis_returns_never_reaches_the_caller(monkeypatch):
    """The worst moment: the watchdog fires just as the analysis has returned and waits, in the disarming, for the
    lock the watchdog fires under. Here the fire itself lets the analysis (a lock's wait) return and gives it time
    to get there first; the stop then lands inside the disarming: the window a careless disarm leaks through (the
    watch stays armed and fires again, REFIRE seconds later, into the caller's code)."""
    monkeypatch.setattr(watchdog, "GRACE", 0.0)
    fire = watchdog._SET_ASYNC_EXC
    released = threading.Lock()

    def release_then_fire(thread_id, exc):
        if exc is not None and released.locked():
            released.release()
            time.sleep(0.01)  # the analysis returns, and waits for the watchdog's lock in the disarming
        fire(thread_id, exc)

    monkeypatch.setattr(watchdog, "_SET_ASYNC_EXC", release_then_fire)
    for _ in range(10):
        released.acquire(False)  # held (by this thread or the last round's wait): the next wait blocks
        watchdog.watched(functools.partial(released.acquire, True, BOUND), 0.002)
        caller_code(0.01)
    assert not watchdog.WATCHDOG._watches
    caller_code(1.5 * watchdog.REFIRE)  # a watch left armed would fire again meanwhile, into this test


def test_quick_analyses_under_a_tiny_grace_never_leak_a_stop(monkeypatch):
    monkeypatch.setattr(watchdog, "GRACE", 0.001)
    for _ in range(100):
        result = checker.check_source(SAVED, "a.py", Config(), time_limit=0.001)
        end = time.monotonic() + 0.002
        while time.monotonic() < end:
            pass
        assert result.error is None or "time limit" in result.error  # the walk's own deadline, or the watchdog


def test_nested_entry_points_run_under_one_watch(tiny_grace, monkeypatch):
    monkeypatch.setattr(Interpreter, "run_block", loop_forever)
    result, _ = timed(lambda: engine.analyze(SAVED, "a.py"))  # engine.analyze -> check_source: one watch, one stop
    assert result.stopped and not watchdog.WATCHDOG._watches


CLI = """
import sys
from gradguard import engine
from gradguard.analysis import checker, context, watchdog
engine.analyze(open(sys.argv[-1] + "/b0.py").read())  # the lazy imports and facts, before the limit is tiny
watchdog.GRACE = {grace}
checker.DEFAULT_TIME_LIMIT = {limit}
original = context.lookup_order
def lookup_order(classes, cls):
    while cls == "Stuck":
        pass
    return original(classes, cls)
context.lookup_order = lookup_order
import gradguard.cli as cli
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_cli_prints_the_stop_and_goes_on_with_the_next_file(tmp_path, jobs):
    (tmp_path / "a_stuck.py").write_text(SAVED)
    plain = SAVED.replace("class Stuck", "class Fine")
    for i in range(8):  # eight files or more: -j 2 runs them in worker processes
        (tmp_path / f"b{i}.py").write_text(plain)
    done = subprocess.run(
        [sys.executable, "-c", CLI.format(grace=0.5, limit=1.0), "check", "--isolated", "--no-cache",
         "--no-follow", "-j", str(jobs), str(tmp_path)],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent,
        env={**os.environ, "PYTHONPATH": str(Path(checker.__file__).parents[2])})
    assert STOPPED in done.stderr and "a_stuck.py" in done.stderr, done.stderr
    assert all(f"b{i}.py:5" in done.stdout for i in range(8)), done.stdout
    assert done.returncode == 2  # as for the walk's own time limit: a file was not analysed in full

