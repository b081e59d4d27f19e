"""A minimal Language Server Protocol client for benchmarking: subprocess pipes + Content-Length framing.

No dependencies beyond the standard library, so it measures the server and nothing else.

    client = LspClient([python, "-m", "gradguard", "lsp"], cwd=...)
    client.start()
    init = client.initialize(root_uri, initialization_options={"settings": {"debounceMs": 0}})
    client.did_open(uri, text)
    event = client.wait_diagnostics(uri, version=1, timeout=5)   # event.t is perf_counter() at receipt
    client.did_change(uri, 2, [change])
    client.shutdown()

Every message from the server is time-stamped (time.perf_counter) by a reader thread the moment its
body has been read, so latencies do not include the time the benchmark takes to look at them.
Requests from the server (workspace/configuration, client/registerCapability,
window/workDoneProgress/create, ...) are answered at once so the server never waits on us.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


class LspError(RuntimeError):
    pass


@dataclass
class Diagnostics:
    t: float  # perf_counter() when the notification was read
    uri: str
    version: int | None
    diagnostics: list = field(default_factory=list)


def path_to_uri(path: str | os.PathLike) -> str:
    return Path(path).resolve().as_uri()


def position(line: int, character: int) -> dict:
    return {"line": line, "character": character}


def text_range(l1: int, c1: int, l2: int, c2: int) -> dict:
    return {"start": position(l1, c1), "end": position(l2, c2)}


class LspClient:
    def __init__(self, cmd: list[str], cwd: str | None = None, env: dict | None = None,
                 stderr_path: str | None = None, settings: dict | None = None):
        self.cmd = cmd
        self.cwd = cwd
        self.env = env
        self.stderr_path = stderr_path or os.devnull
        self.settings = settings or {}  # answers workspace/configuration
        self.proc: subprocess.Popen | None = None
        self.t_spawn: float | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._responses: dict[int, dict] = {}
        self.diagnostics: list[Diagnostics] = []  # every publishDiagnostics, in arrival order
        self.log: list[tuple[float, dict]] = []  # other notifications from the server
        self.server_requests: list[str] = []
        self._reader: threading.Thread | None = None
        self._closed = False
        self._write_lock = threading.Lock()
        self.capabilities: dict = {}

    # -- process ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._stderr = open(self.stderr_path, "wb")
        self.t_spawn = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, bufsize=0)
        self._reader = threading.Thread(target=self._read_loop, name="lsp-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _read_loop(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        raise EOFError
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                body = b""
                while len(body) < length:
                    chunk = out.read(length - len(body))
                    if not chunk:
                        raise EOFError
                    body += chunk
                t = time.perf_counter()
                self._dispatch(t, json.loads(body))
        except (EOFError, ValueError, OSError):
            pass
        finally:
            with self._lock:
                self._closed = True
                self._lock.notify_all()

    def _dispatch(self, t: float, msg: dict) -> None:
        if "id" in msg and "method" in msg:  # a request from the server
            self.server_requests.append(msg["method"])
            self._answer(msg)
            return
        if "id" in msg:  # a response to us
            with self._lock:
                msg["_t"] = t
                self._responses[msg["id"]] = msg
                self._lock.notify_all()
            return
        method = msg.get("method")
        params = msg.get("params") or {}
        with self._lock:
            if method == "textDocument/publishDiagnostics":
                self.diagnostics.append(Diagnostics(t, params.get("uri"), params.get("version"),
                                                    params.get("diagnostics") or []))
            else:
                self.log.append((t, msg))
            self._lock.notify_all()

    def _answer(self, msg: dict) -> None:
        method = msg["method"]
        result = None
        if method == "workspace/configuration":
            items = (msg.get("params") or {}).get("items") or []
            result = []
            for item in items:
                section = item.get("section")
                if section and section.split(".")[0] in ("gradguard",):
                    rest = section.split(".")[1:]
                    value = self.settings
                    for key in rest:
                        value = value.get(key) if isinstance(value, dict) else None
                    result.append(value)
                else:
                    result.append(self.settings if not section else None)
        elif method == "workspace/workspaceFolders":
            result = []
        self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def _send(self, msg: dict) -> None:
        body = json.dumps(msg, separators=(",", ":")).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self._write_lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    # -- JSON-RPC ---------------------------------------------------------------------------------
    def notify(self, method: str, params: dict | None = None) -> float:
        """Send a notification; returns perf_counter() just before it was written."""
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        t = time.perf_counter()
        self._send(msg)
        return t

    def request(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict:
        """Send a request and wait for its response; returns the whole response (with `_t`)."""
        rid = next(self._ids)
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self._send(msg)
        deadline = time.perf_counter() + timeout
        with self._lock:
            while rid not in self._responses:
                remaining = deadline - time.perf_counter()
                if self._closed:
                    raise LspError(f"server exited while waiting for {method}")
                if remaining <= 0:
                    raise LspError(f"no response to {method} within {timeout:.0f}s")
                self._lock.wait(remaining)
            response = self._responses.pop(rid)
        if "error" in response:
            raise LspError(f"{method}: {response['error']}")
        return response

    # -- LSP --------------------------------------------------------------------------------------
    def initialize(self, root: str | None = None, initialization_options: dict | None = None,
                   timeout: float = 30.0) -> dict:
        root_uri = path_to_uri(root) if root else None
        params = {
            "processId": os.getpid(),
            "clientInfo": {"name": "gradguard-bench", "version": "0"},
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": Path(root).name}] if root else None,
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "workspace": {"configuration": True, "workspaceFolders": True},
                "textDocument": {
                    "synchronization": {"didSave": True, "dynamicRegistration": False},
                    "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                                           "codeDescriptionSupport": True, "dataSupport": True},
                },
                "window": {"workDoneProgress": False},
            },
        }
        if initialization_options is not None:
            params["initializationOptions"] = initialization_options
        response = self.request("initialize", params, timeout=timeout)
        self.capabilities = (response.get("result") or {}).get("capabilities") or {}
        self.notify("initialized", {})
        return response

    @property
    def sync_kind(self) -> int:
        """1 = full text on every change, 2 = incremental (from the server's capabilities)."""
        sync = self.capabilities.get("textDocumentSync", 1)
        if isinstance(sync, dict):
            return int(sync.get("change", 1) or 0)
        return int(sync or 0)

    def did_open(self, uri: str, text: str, version: int = 1, language_id: str = "python") -> float:
        return self.notify("textDocument/didOpen", {
            "textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}})

    def did_change(self, uri: str, version: int, changes: list[dict]) -> float:
        return self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def did_close(self, uri: str) -> float:
        return self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def wait_diagnostics(self, uri: str, version: int | None = None, after: float | None = None,
                         timeout: float = 10.0) -> Diagnostics | None:
        """The first publishDiagnostics for `uri` that answers `version`.

        A notification carrying a version matches when its version is >= `version` (a newer one
        means ours was folded into it by the debounce). One without a version matches when it
        arrived after `after`. Returns None on timeout or if the server exited.
        """
        deadline = time.perf_counter() + timeout
        with self._lock:
            while True:
                for d in self.diagnostics:
                    if d.uri != uri:
                        continue
                    if version is not None and d.version is not None:
                        if d.version >= version:
                            return d
                    elif after is None or d.t >= after:
                        return d
                remaining = deadline - time.perf_counter()
                if remaining <= 0 or self._closed:
                    return None
                self._lock.wait(remaining)

    def forget_diagnostics(self, uri: str | None = None) -> None:
        with self._lock:
            self.diagnostics = [d for d in self.diagnostics if uri is not None and d.uri != uri]

    def shutdown(self, timeout: float = 5.0) -> int | None:
        """Polite shutdown/exit; kills the server if it does not go. Returns its exit code."""
        if self.proc is None:
            return None
        try:
            if self.alive():
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit")
        except (LspError, OSError):
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self._stderr.close()
        return self.proc.returncode


_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def proc_cpu(pid: int) -> float | None:
    """user+sys CPU seconds of a process (all its threads) from /proc/<pid>/stat; 1/CLK_TCK resolution."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLK_TCK  # utime, stime (fields 14 and 15)
    except (OSError, IndexError, ValueError):
        return None


def proc_cpu_ticks(pid: int) -> int:
    """utime + stime of the process in clock ticks, from /proc/<pid>/stat (-1 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return -1


def wait_idle(pid: int, quiet_s: float = 2.0, timeout_s: float = 60.0, step_s: float = 0.25) -> float:
    """Wait until the process has used no CPU for quiet_s seconds (its background passes and its memory upkeep,
    which runs after 1 s without work, are done): a fixed sleep is too short on a loaded machine. Returns the
    seconds waited."""
    start = time.monotonic()
    last, still_since = proc_cpu_ticks(pid), time.monotonic()
    while time.monotonic() - start < timeout_s:
        time.sleep(step_s)
        now = proc_cpu_ticks(pid)
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet_s:
            break
    return time.monotonic() - start


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM, ... from /proc/<pid>/status, in KiB (empty if the process is gone)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.startswith("Vm") or key.startswith("Rss"):
                    out[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out
