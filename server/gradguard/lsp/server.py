"""The gradguard language server (pygls 2).

    gradguard lsp                 # stdio
    gradguard lsp --tcp 127.0.0.1:2087

Documents are analysed off the event loop by a one-thread executor, so results come back in order and
the loop stays free for hovers and code actions. An edit to an idle document is analysed at once; edits that
arrive while its analysis runs are folded into one analysis of the newest text, started when that one ends
(leading and trailing edge, no fixed delay unless `debounceMs` asks for one). Every change bumps the document's
generation; a result for a stale generation is dropped, so an older version is never published after a newer.
While the buffer does not parse, the last good diagnostics stay, moved along with the edits.

The server never imports torch, never runs the analysed code and never opens a network connection
(except the listening socket of --tcp, when asked for).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import functools
import logging
import os
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer

from .. import __version__
from .. import engine
from ..config import Config, ConfigError, find_pyproject, load_pyproject
from ..analysis.incremental import Superseded
from ..parsed_files import ParsedFiles
from ..project import Project
from .documents import GENERATIONS, SKIPPED, DocState, Failure, Result, contains, intersects, is_python
from .features import FIX_ALL_KIND, CommentMap, build_entries, fix_all_edits, hover_markdown, kind_requested, \
    move_entries, noqa_edit, preferred, stop_notices
from .notebook_sync import ACTION_WAIT, NotebookSync
from .notebooks import cell_entries
from .other_files import PARSED_LINES, OtherFiles
from .protocol import GradGuardProtocol
from .settings import Settings, SettingsError, merge_layers, parse_settings, unwrap_init_options
from .text import UTF16, LineIndex, apply_change, full_replacement_edit
from .trace_results import TraceResults

__all__ = ["DocState", "GradGuardServer", "create_server", "main"]

log = logging.getLogger("gradguard.lsp")

DEBUG_INFO = "gradguard/debugInfo"
CONFIG_TIMEOUT = 5.0  # seconds to wait for the client's workspace/configuration answer
PULL_WAIT = 10.0  # seconds a pull-diagnostics request waits for it
IDLE_TIDY_S = 1.0  # seconds without analyses before the memory upkeep
# Seconds after the last keystroke before the documents that follow the edited one are analysed again: they
# would otherwise share the analysis thread with every keystroke of the edited document.
FOLLOWERS_DELAY = 0.5
# Seconds without an edit before the background pass (what a keystroke deferred) starts: while typing, the next
# keystroke waits for it to stop, and a parse of another file (the edited buffer: 30-60 ms on x-transformers) cannot.
BACKGROUND_QUIET_S = 0.2


# -- the server -----------------------------------------------------------------------------------


class GradGuardServer(NotebookSync, OtherFiles, LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "gradguard",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=GradGuardProtocol,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[types.NotebookDocumentFilterWithCells(
                    notebook="*", cells=[types.NotebookCellLanguage(language="python")])],
            ),
        )
        self.docs: dict[str, DocState] = {}
        self.cell_owner: dict[str, str] = {}  # notebook cell URI -> notebook URI
        self.projects: dict[str, Project] = {}  # workspace root -> other files followed from there
        self.parsed_files = ParsedFiles(max_lines=PARSED_LINES)  # the projects' parses of other files
        self.watch_files = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gradguard-analysis")
        self._tidy: Optional[asyncio.TimerHandle] = None  # memory upkeep once the server is idle
        self.encoding = UTF16
        self.pull_mode = False
        self.config_pull = False
        self.refresh_support = False
        self.markdown = True
        self.dynamic_config = False
        self.layers: dict[str, Any] = {}  # "init", "" (global configuration), folder uri -> raw settings
        self._settings_cache: dict[str, Settings] = {}
        self._pyproject: dict[Path, tuple[int, Config]] = {}
        self._config_ready = True
        self._waiting: set[str] = set()
        self._shown: set[str] = set()
        self._logged_failures: set[str] = set()
        self.trace_results = TraceResults()  # the latest `gradguard trace` run's findings (lsp/trace_results.py)
        self._register()

    # -- plumbing ---------------------------------------------------------------------------------

    def _guard(self, name: str, fn: Callable, default: Callable[[], Any] = lambda: None) -> Callable:
        """Any exception in a handler becomes a logged error and an empty answer."""
        if asyncio.iscoroutinefunction(fn):

            async def handler(params):
                try:
                    return await fn(params)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    self._log_exception(name)
                    return default()

        else:

            def handler(params):
                try:
                    return fn(params)
                except Exception:
                    self._log_exception(name)
                    return default()

        handler.__name__ = f"gradguard_{name}"
        return handler

    def _register(self) -> None:
        T = types
        features: list[tuple[str, Callable, Any, Callable[[], Any]]] = [
            (T.INITIALIZE, self.on_initialize, None, lambda: None),
            (T.INITIALIZED, self.on_initialized, None, lambda: None),
            (T.SHUTDOWN, self.on_shutdown, None, lambda: None),
            (T.TEXT_DOCUMENT_DID_OPEN, self.on_did_open, None, lambda: None),
            (T.TEXT_DOCUMENT_DID_CHANGE, self.on_did_change, None, lambda: None),
            (T.TEXT_DOCUMENT_DID_SAVE, self.on_did_save, T.SaveOptions(include_text=False), lambda: None),
            (T.TEXT_DOCUMENT_DID_CLOSE, self.on_did_close, None, lambda: None),
            (T.NOTEBOOK_DOCUMENT_DID_OPEN, self.on_notebook_open, None, lambda: None),
            (T.NOTEBOOK_DOCUMENT_DID_CHANGE, self.on_notebook_change, None, lambda: None),
            (T.NOTEBOOK_DOCUMENT_DID_CLOSE, self.on_notebook_close, None, lambda: None),
            (T.WORKSPACE_DID_CHANGE_WATCHED_FILES, self.on_watched_files, None, lambda: None),
            (T.TEXT_DOCUMENT_HOVER, self.on_hover, None, lambda: None),
            (
                T.TEXT_DOCUMENT_CODE_ACTION,
                self.on_code_action,
                T.CodeActionOptions(
                    code_action_kinds=[T.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False
                ),
                lambda: [],
            ),
            (T.WORKSPACE_DID_CHANGE_CONFIGURATION, self.on_did_change_configuration, None, lambda: None),
            (T.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, self.on_did_change_folders, None, lambda: None),
            (DEBUG_INFO, self.on_debug_info, None, lambda: None),
        ]
        for method, fn, options, default in features:
            self.feature(method, options)(self._guard(method, fn, default))

    def _log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=f"gradguard: {message}"))
        except Exception:
            log.warning("cannot log to the client: %s", message)

    def _log_exception(self, where: str) -> None:
        details = traceback.format_exc()
        log.error("error in %s\n%s", where, details)
        self._log(f"internal error in {where} (the request got an empty answer):\n{details}", types.MessageType.Error)

    def _show_once(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        if message in self._shown:
            return
        self._shown.add(message)
        self._log(message, kind)
        try:
            self.window_show_message(types.ShowMessageParams(type=kind, message=f"gradguard: {message}"))
        except Exception:
            log.warning("cannot show a message: %s", message)

    def _trace(self, level: str, message: str) -> None:
        wanted = self._global_settings().trace
        if wanted == "verbose" or (wanted == "messages" and level == "messages"):
            self._log(message, types.MessageType.Log)

    def report_server_error(self, error: Exception, source) -> None:
        """pygls' default pops up a message for every error; a log line is enough."""
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)
        self._log(f"error ({getattr(source, '__name__', source)}): {error}", types.MessageType.Error)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    # -- settings ---------------------------------------------------------------------------------

    def _set_layer(self, key: str, raw: Any, source: str) -> bool:
        """Validate a layer of settings; a malformed one is reported once and the previous one kept."""
        try:
            parse_settings(raw, source)
        except SettingsError as exc:
            self._show_once(f"{exc}. Keeping the previous settings.")
            return False
        changed = self.layers.get(key) != raw
        self.layers[key] = raw
        self._settings_cache.clear()
        return changed

    def _folder_for(self, uri: str) -> str:
        best = ""
        for folder in self._folder_uris():
            prefix = folder.rstrip("/") + "/"
            if (uri.startswith(prefix) or uri == folder.rstrip("/")) and len(folder) > len(best):
                best = folder
        return best

    def _folder_uris(self) -> list[str]:
        try:
            folders = list(self.workspace.folders.keys())
            if not folders and self.workspace.root_uri:
                folders = [self.workspace.root_uri]
            return folders
        except Exception:
            return []

    def _global_settings(self) -> Settings:
        return self._settings_for_folder("")

    def _settings_for_folder(self, folder: str) -> Settings:
        cached = self._settings_cache.get(folder)
        if cached is not None:
            return cached
        raw = merge_layers(self.layers.get("init"), self.layers.get(""), self.layers.get(folder) if folder else None)
        try:
            settings = parse_settings(raw)
        except SettingsError:  # each layer was valid, so this should not happen
            settings = Settings()
        self._settings_cache[folder] = settings
        return settings

    def settings_for(self, uri: str) -> Settings:
        return self._settings_for_folder(self._folder_for(uri))

    def _pyproject_config(self, path: Optional[str]) -> Config:
        if not path:
            return Config()
        try:
            found = find_pyproject(Path(path))
            if found is None:
                return Config()
            mtime = found.stat().st_mtime_ns
        except OSError:
            return Config()
        cached = self._pyproject.get(found)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        try:
            config = load_pyproject(found)
        except ConfigError as exc:
            self._show_once(f"{exc}. Using the previous [tool.gradguard] settings.")
            config = cached[1] if cached else Config()
        self._pyproject[found] = (mtime, config)
        return config

    def effective(self, st: DocState) -> tuple[Settings, Config]:
        settings = self.settings_for(st.uri)
        return settings, self._pyproject_config(st.path).merged(settings.config)

    async def _pull_configuration(self) -> bool:
        scopes: list[Optional[str]] = [None, *self._folder_uris()]
        items = [types.ConfigurationItem(section="gradguard", scope_uri=scope) for scope in scopes]
        try:
            result = await asyncio.wait_for(
                self.workspace_configuration_async(types.ConfigurationParams(items=items)), CONFIG_TIMEOUT
            )
        except Exception as exc:  # timeout, an error answer, a client that does not implement it
            self._log(f"cannot read the `gradguard` settings from the client ({type(exc).__name__}: {exc})",
                      types.MessageType.Warning)
            return False
        changed = False
        for scope, raw in zip(scopes, list(result or [])):
            where = f"gradguard settings for {scope}" if scope else "gradguard settings"
            changed |= self._set_layer(scope or "", raw, where)
        self._trace("verbose", f"settings: {self.layers}")
        return changed

    def _settings_changed(self) -> None:
        self._settings_cache.clear()
        for st in list(self.docs.values()):
            st.gen = next(GENERATIONS)
            engine.forget(st.path or st.uri)  # followImports may have changed what its cached scopes saw
            st.deps = ()
            self._schedule(st.uri, 0)
        self._ask_for_pull()

    def _ask_for_pull(self) -> None:
        """A pull client keeps what it last pulled: ask it to pull again (when it says it can be asked)."""
        if self.pull_mode and self.refresh_support:
            try:
                self.protocol.send_request(types.WORKSPACE_DIAGNOSTIC_REFRESH, None)
            except Exception:
                pass

    # -- scheduling -------------------------------------------------------------------------------

    def _schedule(self, uri: str, delay: float) -> None:
        st = self.docs.get(uri)
        if st is None:
            return
        if st.timer is not None:
            st.timer.cancel()
            st.timer = None
        if delay <= 0:
            self._start(uri)
        else:
            st.timer = self.loop.call_later(delay, self._start, uri)

    def _start(self, uri: str, background: bool = False) -> None:
        try:
            self._start_unguarded(uri, background)
        except Exception:
            self._log_exception("scheduling an analysis")

    def _start_unguarded(self, uri: str, background: bool = False) -> None:
        """background: the pass that brings the scopes the last analysis deferred up to date (same text)."""
        st = self.docs.get(uri)
        if st is None:
            return
        st.timer = None
        if not self._config_ready:
            self._waiting.add(uri)
            return
        if st.inflight is not None:  # trailing edge: whatever arrives meanwhile is one analysis, when this ends
            st.rerun = st.inflight != st.gen
            return
        settings, config = self.effective(st)
        gen = st.gen
        if not settings.enable:
            st.entries, st.analysis, st.broken, st.analysed_gen = [], None, False, gen
            self._publish(st)
            self._resolve(st, gen)
            return
        st.inflight = gen
        job = functools.partial(self._analyse, uri, gen, st.text, st.path, st.version, config, self.encoding,
                                self._project_for(st, settings), st.program, background)
        try:
            future = self.loop.run_in_executor(self.executor, job)
        except RuntimeError:  # shutting down
            st.inflight = None
            return
        future.add_done_callback(functools.partial(self._finished, uri, gen))
        self._trace("verbose", f"queued {uri} (generation {gen})")

    def _analyse(self, uri, gen, text, path, version, config, encoding, project=None, program=None,
                 background=False):
        """Runs on the analysis thread. The first pass over a text re-walks the scopes the edit changed and defers
        those that only read them; the background pass walks those, and gives up as soon as a newer text comes."""
        st = self.docs.get(uri)
        if st is None or st.gen != gen:
            return SKIPPED  # already stale: don't spend the time
        started = time.perf_counter()
        try:
            # incremental: a keystroke re-walks only the scopes the edit can affect (same findings as a full run)
            analysis = engine.analyze(text, path or uri, config, incremental=True, project=project,
                                      defer=not background and self._can_defer,
                                      cancelled=(lambda: st.gen != gen or self.docs.get(uri) is not st)
                                      if background else None)
            millis = (time.perf_counter() - started) * 1000
            # did not parse (or reached the time limit before finding anything): the last diagnostics stay; a stop by
            # the watchdog (a gradguard bug) shows its message instead (features.stop_notices)
            if analysis.error and not analysis.findings and not getattr(analysis, "stopped", False):
                return Result(analysis, None, millis)
            index = LineIndex(text, encoding)
            entries = build_entries(analysis.findings, index, uri, path, version, self._load_other(encoding))
            if program is not None:  # a notebook: each diagnostic goes to its cell
                entries = cell_entries(entries, program, uri)
            return Result(analysis, entries, millis, program, background)
        except Superseded:
            return SKIPPED
        except Exception as exc:
            return Failure(f"{type(exc).__name__}: {exc}", traceback.format_exc())

    @property
    def _can_defer(self) -> bool:
        """A first pass may leave the callers of an edited function for a background pass only when the client
        hears about that pass: pushed diagnostics, or a pull client that takes a refresh. A pull client without
        refresh support keeps what its one pull returned, so its pull waits for the whole analysis."""
        return not self.pull_mode or self.refresh_support

    def _load_other(self, encoding: str) -> Callable[[str], Optional[LineIndex]]:
        def load(path: str) -> Optional[LineIndex]:
            from pygls.uris import from_fs_path

            other = self.docs.get(from_fs_path(os.path.abspath(path)) or "")
            if other is not None:
                return LineIndex(other.text, encoding)
            try:
                return LineIndex(Path(path).read_text(encoding="utf-8"), encoding)
            except (OSError, UnicodeDecodeError):
                return None

        return load

    def _finished(self, uri: str, gen: int, future: asyncio.Future) -> None:
        try:
            self._finished_unguarded(uri, gen, future)
        except Exception:
            self._log_exception("publishing diagnostics")

    def _finished_unguarded(self, uri: str, gen: int, future: asyncio.Future) -> None:
        st = self.docs.get(uri)
        if st is None:
            return
        if st.inflight == gen:
            st.inflight = None
        try:
            self._take_result(st, uri, gen, future)
        finally:
            if st.inflight is None and self.docs.get(uri) is st:
                if st.rerun:
                    st.rerun = False
                    self._start(uri)
                elif st.background == st.gen == st.analysed_gen and st.timer is None:
                    st.timer = self.loop.call_later(BACKGROUND_QUIET_S, self._start_background, uri, st.gen)

    def _start_background(self, uri: str, gen: int) -> None:
        """The typing paused (an edit cancels this timer: _schedule): bring the deferred scopes up to date."""
        st = self.docs.get(uri)
        if st is None or st.gen != gen:
            return  # an edit came: the timer is its own now
        st.timer = None
        if st.background == gen == st.analysed_gen and st.inflight is None:
            st.background = None
            self._start(uri, background=True)

    def _take_result(self, st: DocState, uri: str, gen: int, future: asyncio.Future) -> None:
        result = SKIPPED if future.cancelled() else future.result()
        if result is SKIPPED or st.gen != gen:
            self._trace("verbose", f"dropped the result for an older text of {uri}")
            self._resolve(st, gen)
            return
        st.analysed_gen = gen
        if isinstance(result, Failure):
            st.broken = True
            if result.message not in self._logged_failures:
                self._logged_failures.add(result.message)
                self._log(f"analysis of {uri} failed: {result.message}\n{result.details}", types.MessageType.Error)
        elif result.entries is None:
            st.broken = True
            error = result.analysis.error
            if error != st.last_error:
                st.last_error = error
                line = getattr(result.analysis, "error_line", None)
                where = f" (line {line})" if line else ""
                self._log(f"{uri}{where}: {error}; keeping the last diagnostics until it parses again")
        else:
            st.broken = False
            error = result.analysis.error  # e.g. the time limit: the findings so far are still good
            if error and error != st.last_error:
                self._log(f"{uri}: {error}", types.MessageType.Warning)
            st.last_error = error
            if result.background and self.pull_mode and \
                    [e.diagnostic for e in st.entries] != [e.diagnostic for e in result.entries]:
                self._ask_for_pull()  # the client pulled the first pass's answer
            st.entries = result.entries
            st.analysis = result.analysis
            # Scopes answered from the incremental cache did not follow anything this time: keep what the earlier
            # analyses followed (cleared when the document is forgotten and analysed in full).
            st.deps = tuple(sorted(set(st.deps) | set(getattr(result.analysis, "dependencies", ()) or ())))
            st.analysed_program = result.program
            if getattr(result.analysis, "deferred", False):
                st.background = gen
            self._trace("messages", f"{uri} v{st.version}: {len(st.entries)} finding(s) in {result.millis:.0f} ms")
        self._publish(st)
        self._resolve(st, gen)
        self._tidy_later()

    def _tidy_later(self) -> None:
        """Collect cyclic garbage and give freed memory back to the OS when nothing has happened for a while:
        the collector runs rarely during typing (engine.tune_gc), and not in the middle of a keystroke."""
        if self._tidy is not None:
            self._tidy.cancel()
        try:
            self._tidy = self.loop.call_later(IDLE_TIDY_S, self._tidy_now)
        except RuntimeError:  # no loop (shutting down)
            self._tidy = None

    def _tidy_now(self) -> None:
        self._tidy = None
        if any(st.inflight is not None or st.timer is not None or not st.up_to_date for st in self.docs.values()):
            self._tidy_later()  # still busy: later
            return
        try:
            engine.release_memory()
        except Exception:
            self._log_exception("releasing memory")

    def _resolve(self, st: DocState, gen: int) -> None:
        keep = []
        for waited, fut in st.waiters:
            if waited <= gen:
                if not fut.done():
                    fut.set_result(None)
            else:
                keep.append((waited, fut))
        st.waiters = keep

    def _publish(self, st: DocState) -> None:
        if self.pull_mode:
            return
        if st.notebook is not None:
            self._publish_cells(st)
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=st.uri, version=st.version,
                diagnostics=[e.diagnostic for e in st.entries] + stop_notices(st.analysis) + self._traced(st),
            )
        )

    def _traced(self, st: DocState) -> list:
        try:
            return self.trace_results.diagnostics(st.real_path, st.text, self.encoding)
        except Exception:  # a bad result file must not cost the static diagnostics
            self._log_exception("reading the gradguard trace result")
            return []

    def _trace_run_finished(self) -> None:
        if self.pull_mode:
            self._ask_for_pull()
            return
        for st in list(self.docs.values()):
            if st.notebook is None:
                self._publish(st)

    async def ensure_fresh(self, uri: str, timeout: float) -> Optional[DocState]:
        """Analyse the current text now (if not done yet) and wait for it, at most `timeout` seconds."""
        st = self.docs.get(uri)
        if st is None or st.up_to_date:
            return st
        # Wait until the text is analysed, not just until one analysis ends: a settings change or an edit while
        # waiting restarts the analysis, and answering then would hand the client an empty list.
        deadline = self.loop.time() + timeout
        while st is not None and not st.up_to_date and self.loop.time() < deadline:
            future = self.loop.create_future()
            st.waiters.append((st.gen, future))
            self._schedule(uri, 0)
            try:
                await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - self.loop.time()))
            except asyncio.TimeoutError:
                pass
            st = self.docs.get(uri)
        return st

    def _move_entries(self, st: DocState, edit) -> None:
        if st.entries:
            st.entries = move_entries(st.entries, st.uri, edit)

    # -- lifecycle --------------------------------------------------------------------------------

    def on_initialize(self, params: types.InitializeParams) -> None:
        caps = params.capabilities
        self.encoding = str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding) or UTF16)
        self.pull_mode = get_capability(caps, "text_document.diagnostic") is not None
        self.config_pull = bool(get_capability(caps, "workspace.configuration", False))
        self.refresh_support = bool(get_capability(caps, "workspace.diagnostics.refresh_support", False))
        self.dynamic_config = bool(get_capability(caps, "workspace.did_change_configuration.dynamic_registration", False))
        self.watch_files = bool(get_capability(caps, "workspace.did_change_watched_files.dynamic_registration", False))
        self._main_loop = asyncio.get_event_loop()
        formats = get_capability(caps, "text_document.hover.content_format", None)
        self.markdown = not formats or types.MarkupKind.Markdown in formats
        self._set_layer("init", unwrap_init_options(params.initialization_options), "initializationOptions")
        self._config_ready = not self.config_pull
        if self.pull_mode and types.TEXT_DOCUMENT_DIAGNOSTIC not in self.protocol.fm.features:
            self.feature(
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(identifier="gradguard", inter_file_dependencies=False, workspace_diagnostics=False),
            )(self._guard(types.TEXT_DOCUMENT_DIAGNOSTIC, self.on_pull_diagnostics, _empty_report))

    async def on_initialized(self, params) -> None:
        if self.watch_files:  # other files changed on disk: what was followed into them is stale
            try:
                future = self.protocol.send_request(
                    types.CLIENT_REGISTER_CAPABILITY,
                    types.RegistrationParams(registrations=[types.Registration(
                        id="gradguard-watch",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[types.FileSystemWatcher(glob_pattern="**/*.py")]),
                    )]),
                )
                future.add_done_callback(lambda f: f.cancelled() or f.exception())
            except Exception:
                pass
        if self.dynamic_config:
            try:
                future = self.protocol.send_request(
                    types.CLIENT_REGISTER_CAPABILITY,
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(id="gradguard-config", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION)
                        ]
                    ),
                )
                future.add_done_callback(lambda f: f.cancelled() or f.exception())
            except Exception:
                pass
        self.trace_results.poll(self.loop, self._trace_run_finished)
        try:
            if self.config_pull:
                await self._pull_configuration()
        finally:
            self._config_ready = True
            waiting, self._waiting = self._waiting, set()
            for uri in waiting:
                self._schedule(uri, 0)

    def on_shutdown(self, params) -> None:
        for st in self.docs.values():
            if st.timer is not None:
                st.timer.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for project in self.projects.values():
            project.close()

    # -- text synchronisation ---------------------------------------------------------------------

    def on_did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        if not is_python(doc.language_id, doc.uri):
            self._trace("verbose", f"not tracking {doc.uri} ({doc.language_id})")
            return
        st = self.docs.get(doc.uri)
        if st is None:
            self.docs[doc.uri] = DocState(doc.uri, doc.text, doc.version)
        else:  # opened twice: the new text wins
            st.text, st.version, st.entries, st.analysis = doc.text, doc.version, [], None
            st.gen = next(GENERATIONS)
        self._buffer_changed(self.docs[doc.uri], 0)
        self._schedule(doc.uri, 0)

    def on_did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        st = self.docs.get(uri)
        if st is None:
            self._log(f"ignored a change to {uri}, which is not open", types.MessageType.Warning)
            return
        for change in params.content_changes:
            st.text, edit = apply_change(st.text, change, self.encoding)
            self._move_entries(st, edit)
        st.version = params.text_document.version
        st.gen = next(GENERATIONS)
        settings = self.settings_for(uri)
        if settings.lint_on_change:
            self._schedule(uri, settings.debounce_ms / 1000)
            self._buffer_changed(st, max(FOLLOWERS_DELAY, settings.debounce_ms / 1000))
        elif st.timer is None and not self.pull_mode:  # keep the shown diagnostics where their code went
            st.timer = self.loop.call_later(settings.debounce_ms / 1000, self._republish, uri)

    def _republish(self, uri: str) -> None:
        try:
            st = self.docs.get(uri)
            if st is not None:
                st.timer = None
                self._publish(st)
        except Exception:
            self._log_exception("publishing moved diagnostics")

    def on_did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        st = self.docs.get(params.text_document.uri)
        if st is not None and not st.up_to_date:  # lintOnChange off, or a debounce still pending
            self._schedule(st.uri, 0)

    def on_did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        st = self.docs.pop(params.text_document.uri, None)
        self._waiting.discard(params.text_document.uri)
        if st is None:
            return
        if st.timer is not None:
            st.timer.cancel()
        self._resolve(st, 1 << 62)
        if not self.pull_mode:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=st.uri, diagnostics=[]))
        engine.forget(st.path or st.uri)  # its parse and per-scope results
        self._buffer_closed(st, self.settings_for(st.uri).debounce_ms / 1000)
        self._drop_unused_projects()
        self._tidy_later()

    # -- settings notifications -------------------------------------------------------------------

    async def on_did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if self.config_pull:
            await self._pull_configuration()
        elif settings is not None:
            raw = settings.get("gradguard", settings) if isinstance(settings, dict) else settings
            self._set_layer("", raw, "workspace/didChangeConfiguration")
        self._settings_changed()

    async def on_did_change_folders(self, params) -> None:
        if self.config_pull:
            await self._pull_configuration()
        self._settings_changed()

    # -- features ---------------------------------------------------------------------------------

    def on_hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        st = self.docs.get(params.text_document.uri)
        if st is None and params.text_document.uri in self.cell_owner:
            return self._cell_hover(params)
        if st is None:
            return None
        pos = params.position
        index = LineIndex(st.text, self.encoding)
        kind = types.MarkupKind.Markdown if self.markdown else types.MarkupKind.PlainText
        hits = [e for e in st.entries if contains(e.diagnostic.range, pos)]
        if hits:
            text = "\n\n---\n\n".join(hover_markdown(e.finding, index, self.markdown) for e in hits)
            return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=hits[0].diagnostic.range)
        facts_at = getattr(st.analysis, "facts_at", None) if st.fresh else None
        if facts_at is None or not (0 <= pos.line < len(index.lines)):
            return None
        line, column = index.cp_position(pos)
        facts = facts_at(line, column)
        if not facts:
            return None
        if not isinstance(facts, str):
            facts = "\n".join(f"- {fact}" for fact in facts)
        return types.Hover(contents=types.MarkupContent(kind=kind, value=facts))

    async def on_code_action(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        if uri not in self.docs and uri in self.cell_owner:
            return await self._cell_code_actions(params)
        if uri not in self.docs:
            return []
        st = await self.ensure_fresh(uri, ACTION_WAIT)
        if st is None:
            return []
        only = params.context.only if params.context else None
        actions: list[types.CodeAction] = []
        if kind_requested(types.CodeActionKind.QuickFix.value, only):
            hits = [e for e in st.entries if intersects(e.diagnostic.range, params.range)]
            if st.fresh:
                for entry in hits:
                    for fix, edits in entry.fixes:
                        actions.append(
                            types.CodeAction(
                                title=fix.title,
                                kind=types.CodeActionKind.QuickFix,
                                diagnostics=[entry.diagnostic],
                                edit=types.WorkspaceEdit(changes=entry.changes(uri, fix, edits)),
                                is_preferred=preferred(fix),
                            )
                        )
            if hits:
                index = LineIndex(st.text, self.encoding)
                comments = CommentMap(st.text)
                seen = set()
                for entry in hits:
                    line, code = entry.diagnostic.range.start.line, entry.finding.code
                    if (line, code) in seen or (st.fresh and any("noqa" in f.title.lower() for f, _ in entry.fixes)):
                        continue  # the engine offers its own noqa fix for this one
                    seen.add((line, code))
                    edit = noqa_edit(index, line, code, comments)
                    if edit is not None:
                        actions.append(
                            types.CodeAction(
                                title=f"Suppress {code} with # noqa",
                                kind=types.CodeActionKind.QuickFix,
                                diagnostics=[entry.diagnostic],
                                edit=types.WorkspaceEdit(changes={uri: [edit]}),
                            )
                        )
        if kind_requested(FIX_ALL_KIND, only) and st.fresh:
            edits = self._fix_all(st)
            if edits and not await self._parses_after(st, edits):
                self._log(f"fix-all for {uri} skipped: the fixed text would not parse", types.MessageType.Warning)
                edits = []
            if edits:
                actions.append(
                    types.CodeAction(
                        title="gradguard: fix all (safe fixes)",
                        kind=FIX_ALL_KIND,
                        edit=types.WorkspaceEdit(changes={uri: edits}),
                    )
                )
        return actions

    async def _parses_after(self, st: DocState, edits: list[types.TextEdit]) -> bool:
        """Fix-all must never hand back text that does not parse (checked off the loop, with ast only)."""
        index = LineIndex(st.text, self.encoding)
        text = st.text
        for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            text = text[: index.offset(edit.range.start)] + edit.new_text + text[index.offset(edit.range.end):]

        def parses() -> bool:
            try:
                ast.parse(text)
                return True
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return False

        try:
            return await asyncio.wait_for(self.loop.run_in_executor(self.executor, parses), ACTION_WAIT)
        except (asyncio.TimeoutError, RuntimeError):
            return False

    def _fix_all(self, st: DocState) -> list[types.TextEdit]:
        try:
            from ..fixes import apply_fixes  # the lead's fix engine, when it exists
        except ImportError:
            apply_fixes = None
        if apply_fixes is not None and st.analysis is not None:
            new_text = apply_fixes(st.text, list(st.analysis.findings), unsafe=False)
            if not isinstance(new_text, str) or new_text == st.text:
                return []
            edit = full_replacement_edit(st.text, new_text, self.encoding)
            return [types.TextEdit(range=types.Range(start=edit.start, end=edit.end), new_text=edit.text)]
        return fix_all_edits(st.entries)

    async def on_pull_diagnostics(self, params: types.DocumentDiagnosticParams):
        uri = params.text_document.uri
        if uri not in self.docs and uri in self.cell_owner:
            st = await self.ensure_fresh(self.cell_owner[uri], PULL_WAIT)
            items = [e.diagnostic for e in st.entries if e.uri == uri] if st is not None else []
            return types.RelatedFullDocumentDiagnosticReport(items=items)
        st = await self.ensure_fresh(uri, PULL_WAIT) if uri in self.docs else None
        if st is None:
            return _empty_report()
        items = [e.diagnostic for e in st.entries] + stop_notices(st.analysis) + self._traced(st)
        return types.RelatedFullDocumentDiagnosticReport(items=items)

    def on_debug_info(self, params) -> dict:
        """Test and support aid: what the server process has loaded and knows."""
        return {
            "version": __version__,
            "pid": os.getpid(),
            "torchImported": "torch" in sys.modules,
            "pullMode": self.pull_mode,
            "encoding": self.encoding,
            "documents": [
                {"uri": uri, "version": st.version, "findings": len(st.entries), "fresh": st.fresh, "broken": st.broken,
                 "generation": st.gen}  # new on every change, and when what the document follows changed
                for uri, st in self.docs.items()
            ],
            "settings": [{"scope": key, "value": value} for key, value in self.layers.items()],
        }


def _empty_report() -> types.RelatedFullDocumentDiagnosticReport:
    return types.RelatedFullDocumentDiagnosticReport(items=[])


def create_server() -> GradGuardServer:
    return GradGuardServer()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="gradguard lsp", description="Run the gradguard language server.")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead")
    parser.add_argument("--log-file", help="write the server's own log here (default: stderr)")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args, unknown = parser.parse_known_args(argv)

    handler: logging.Handler = logging.FileHandler(args.log_file) if args.log_file else logging.StreamHandler(sys.stderr)
    logging.basicConfig(level=args.log_level, handlers=[handler], format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if unknown:
        log.warning("ignoring unknown arguments: %s", " ".join(unknown))

    server = create_server()
    engine.tune_gc()
    # The analysis thread runs Python code for up to ~100 ms at a time (a background pass); pygls reads each message
    # in three hops between its reader thread and the event loop, each waiting for the GIL. At the default 5 ms
    # switch interval a keystroke typed meanwhile took 30-50 ms to reach the server; at 1 ms it takes a few.
    sys.setswitchinterval(0.001)
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        try:
            server.start_tcp(host or "127.0.0.1", int(port))
        except ValueError:
            parser.error(f"--tcp expects HOST:PORT, got {args.tcp!r}")
        return 0
    # Whatever prints to stdout must not corrupt the protocol stream.
    stdout = sys.stdout.buffer
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, stdout)
    return 0 if server.protocol._shutdown else 1


if __name__ == "__main__":
    sys.exit(main())
