"""On Linux the server runs on the C allocator (lsp/entry.py: it starts its own command again with
PYTHONMALLOC=malloc), so that an idle server gives the memory of closed documents back; a caller's own choice wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or sys.version_info < (3, 10),
                                reason="the re-start is done on Linux, CPython 3.10+ only")


def start(extra_env: dict) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONMALLOC", "GRADGUARD_PYTHONMALLOC")}
    env.update(extra_env)
    return subprocess.Popen([sys.executable, "-m", "gradguard", "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)


def initialize(proc: subprocess.Popen) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()
    length = 0
    while True:
        line = proc.stdout.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def environ(pid: int) -> dict:
    raw = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


@pytest.mark.parametrize("extra, expected", [({}, "malloc"), ({"PYTHONMALLOC": "pymalloc"}, "pymalloc"),
                                             ({"GRADGUARD_PYTHONMALLOC": "keep"}, None)])
def test_the_server_answers_on_the_allocator_it_should(extra, expected):
    proc = start(extra)
    try:
        reply = initialize(proc)  # the same process (pid) answers: the re-start replaced it before it read anything
        assert reply["id"] == 1 and "capabilities" in reply["result"]
        assert environ(proc.pid).get("PYTHONMALLOC") == expected
    finally:
        proc.kill()
        proc.wait(timeout=10)
