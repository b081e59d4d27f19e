"""A small synchronous LSP client over a subprocess's stdio, for tests that must drive one server for many
hypothesis examples (pytest-lsp's client is per test and async) or send bytes no typed client would.

    with StdioServer([sys.executable, "-m", "gradguard", "lsp"], cwd=tmp) as server:
        server.initialize(root)
        server.notify("textDocument/didOpen", {...})
        server.request("textDocument/hover", {...})
        server.wait_for_diagnostics(uri, version)

Requests the server sends (workspace/configuration, client/registerCapability...) get an empty answer.
"""

from __future__ import annotations

import itertools
import json
import queue
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional


class ServerGone(AssertionError):
    pass


class ResponseError(AssertionError):
    def __init__(self, error: dict):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error


class StdioServer:
    def __init__(self, command: list[str], cwd: Optional[str] = None, env: Optional[dict] = None,
                 stderr_path: Optional[Path] = None):
        self._stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                     cwd=cwd, env=env)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.responses: dict[Any, dict] = {}
        self.notifications: list[dict] = []
        self.server_requests: list[dict] = []
        self._reader = threading.Thread(target=self._read, name="lsp-reader", daemon=True)
        self._reader.start()

    # -- wire ---------------------------------------------------------------------------------------------
    def send_bytes(self, data: bytes) -> None:
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ServerGone(f"the server's stdin is closed: {exc}") from None

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self._changed:
                        self._changed.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                m = re.match(rb"content-length:\s*(\d+)", line, re.IGNORECASE)
                if m:
                    length = int(m.group(1))
            if length is None:
                continue
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:  # a request from the server: answer it
                self.server_requests.append(message)
                try:
                    self.send({"jsonrpc": "2.0", "id": message["id"], **self.answer(message)})
                except ServerGone:
                    pass
                with self._changed:
                    self._changed.notify_all()
                continue
            with self._changed:
                if "method" in message:
                    self.notifications.append(message)
                else:
                    self.responses[message.get("id")] = message
                self._changed.notify_all()

    @staticmethod
    def answer(message: dict) -> dict:
        """The answer to a request from the server ({"result": ...} or {"error": ...}); tests replace it."""
        if message["method"] == "workspace/configuration":
            return {"result": [None] * len((message.get("params") or {}).get("items", []))}
        return {"result": None}

    # -- messages -----------------------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.proc.poll() is None

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_async(self, method: str, params: Any = None, msg_id: Any = None) -> Any:
        msg_id = next(self._ids) if msg_id is None else msg_id
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def response(self, msg_id: Any, timeout: float = 30.0) -> dict:
        return self.wait(lambda: self.responses.pop(msg_id, None), timeout, f"the answer to request {msg_id!r}")

    def request(self, method: str, params: Any = None, timeout: float = 30.0) -> Any:
        answer = self.response(self.request_async(method, params), timeout)
        if "error" in answer:
            raise ResponseError(answer["error"])
        return answer.get("result")

    def wait(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                if not self.alive() and not self._reader.is_alive():
                    raise ServerGone(f"the server exited (code {self.proc.returncode}) while waiting for {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
                self._changed.wait(min(left, 0.2))

    # -- LSP --------------------------------------------------------------------------------------------------
    def initialize(self, root: Path, settings: Optional[dict] = None, capabilities: Optional[dict] = None,
                   initialization_options: Any = None) -> dict:
        if settings is not None:
            initialization_options = {"settings": settings}
        result = self.request("initialize", {
            "processId": None,
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": "root"}],
            "capabilities": capabilities or {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
            "initializationOptions": initialization_options,
        })
        self.notify("initialized", {})
        return result

    def diagnostics(self, uri: str, version: Optional[int] = None, after: int = 0) -> Optional[dict]:
        for note in self.notifications[after:]:
            if note["method"] == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri and (
                    version is None or note["params"].get("version") == version):
                return note["params"]
        return None

    def wait_for_diagnostics(self, uri: str, version: Optional[int] = None, after: int = 0,
                             timeout: float = 60.0) -> dict:
        return self.wait(lambda: self.diagnostics(uri, version, after), timeout, f"diagnostics of {uri} v{version}")

    def close(self, timeout: float = 15.0) -> Optional[int]:
        try:
            if self.alive():
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit")
                self.proc.wait(timeout=timeout)
        except Exception:  # noqa: BLE001 - tearing down: kill what is left
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=5)
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            if self._stderr not in (None, subprocess.DEVNULL):
                self._stderr.close()
        return self.proc.returncode

    def __enter__(self) -> "StdioServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def utf16_position(text: str, offset: int) -> dict:
    """The LSP position (UTF-16 code units) of a code-point offset; lines end at \\r\\n, \\r, \\n."""
    line_start = 0
    line = 0
    for m in re.finditer(r"\r\n|\r|\n", text[:offset]):
        line += 1
        line_start = m.end()
    prefix = text[line_start:offset]
    return {"line": line, "character": len(prefix.encode("utf-16-le", "surrogatepass")) // 2}
