"""The public entry point: source text in, findings out.

    from gradguard.engine import analyze
    result = analyze(source, path="model.py")
    result.findings      # list[Finding], sorted by position, after noqa and config filtering
    result.error         # None, or a one-line message when the text could not be analysed

    analyze(source, "train.py", config, project=Project(root))   # also follow calls into the workspace's
    # other files (gradguard.project); result.dependencies lists the files whose definitions were followed

Pure: no torch import, no execution of the analysed code, no I/O besides what the caller passes in.
"""

from __future__ import annotations

from collections import OrderedDict

from .config import Config
from .findings import Analysis


_DOCUMENTS: "OrderedDict[str, object]" = OrderedDict()  # path -> IncrementalAnalyzer, most recent last
MAX_DOCUMENTS = 4  # documents whose parse and per-scope results are kept (~1.5 kB a line): the recently edited


def analyze(source: str, path: str = "<string>", config: Config | None = None, incremental: bool = False,
            project=None, defer: bool = False, cancelled=None) -> Analysis:
    """`incremental=True` (the language server): keep this path's parse and per-scope results, and on the next
    call re-analyse only the scopes an edit can affect. The findings are the same either way.

    `project` (a `gradguard.project.Project`): calls of functions and classes imported from the project's other
    files are followed. The caller keeps `result.dependencies` to know when to analyse again (an incremental
    analysis must then be `forget`-ten first: its cached scopes do not know about other files).

    `defer` and `cancelled` (incremental only; analysis.incremental.IncrementalAnalyzer.analyze): the scopes that
    only depend on an edited one may keep their last findings (`result.deferred` is then true, and the same call
    without `defer` completes them); `cancelled()` true stops the analysis with analysis.incremental.Superseded."""
    from .analysis.checker import DEFAULT_TIME_LIMIT, check_source
    from .analysis.watchdog import watched
    from .fixes import attach_fixes

    config = config or Config()
    result = None
    token = None
    if project is not None:
        from .project import ACTIVE

        if project.callers is None:
            from .callers import CallerIndex

            project.callers = CallerIndex(project)  # the callers in other files of a caller-dependent finding
        project.begin()
        token = ACTIVE.set(project)

    def run() -> Analysis:
        result = None
        if incremental and "\x00" not in source:
            result = _analyze_incrementally(source, path, config, DEFAULT_TIME_LIMIT, defer, cancelled)
        if result is None:
            result = check_source(source, path, config, DEFAULT_TIME_LIMIT)
        if result.findings:
            attach_fixes(source, result.findings)
        return result

    def forget_after_stop() -> None:  # what the stop may have left half-updated: the next analysis starts afresh
        _DOCUMENTS.pop(path, None)
        if project is not None:
            project.invalidate()

    try:
        # analysis/watchdog.py: a loop of the engine that never reaches a deadline check is stopped from outside.
        # The project's session is closed outside the watched part: a stop never lands in the middle of closing it.
        result = watched(run, DEFAULT_TIME_LIMIT, stopped=forget_after_stop)
    finally:
        if project is not None:
            ACTIVE.reset(token)
            session = project.end()
            if result is not None and session is not None:
                result.dependencies = sorted(session.used)
                result.consulted = {p: (f.digest if f is not None else None) for p, f in session.files.items()}
                if session.importer_names:
                    result.consulted = {**session.importers, **result.consulted}
                    result.importers = (project.root, sorted(session.importer_names))
                result.timed_out = result.timed_out or session.spent >= session.budget
    return result


def _analyze_incrementally(source: str, path: str, config: Config, time_limit, defer=False, cancelled=None):
    from .analysis.incremental import IncrementalAnalyzer

    doc = _DOCUMENTS.pop(path, None) or IncrementalAnalyzer()
    _DOCUMENTS[path] = doc
    while len(_DOCUMENTS) > MAX_DOCUMENTS:
        _DOCUMENTS.popitem(last=False)
    text = source[1:] if source.startswith("\ufeff") else source
    try:
        return doc.analyze(text, path, config, time_limit, defer, cancelled)
    except (ValueError, RecursionError, MemoryError):
        _DOCUMENTS.pop(path, None)
        return None  # the full path reports it


def tune_gc(batch: bool = False) -> None:
    """For a process that analyses many files (the CLI, the server): call once, after the imports.

    An analysis allocates millions of short-lived objects (AST nodes, abstract values) beside long-lived ones
    (imported modules, torch facts, parsed workspace files). With CPython's default thresholds the cyclic
    collector runs every 700 allocations and keeps re-scanning the long-lived ones: a quarter of the CLI's
    time on the benchmark's core files. Freeze what the imports made, and collect the young less often.

    `batch` (the CLI, a process that ends): every parsed tree is frozen too (pyparse.FREEZE_TREES). An analysis
    leaves no cycles of its own, so what it drops is freed by reference counting, frozen or not; a stray cycle of
    a library (jedi's parser, `ast.literal_eval`) frozen with a tree stays until the process ends. A server keeps
    collecting (it runs for days)."""
    import gc

    from . import fixes, project, pyparse  # noqa: F401 - imported now, so that they are frozen with the rest
    from .analysis import checker  # noqa: F401

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    pyparse.FREEZE_TREES = batch


def release_memory() -> None:
    """A full collection, then glibc's malloc_trim (where there is one): what an idle server can give back."""
    import ctypes
    import ctypes.util
    import gc
    import sys

    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):  # musl and others: no malloc_trim
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC = None


def forget(path: str) -> None:
    """The document was closed."""
    _DOCUMENTS.pop(path, None)
