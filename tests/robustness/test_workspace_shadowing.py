"""A workspace's own modules never replace the server's: `python -m gradguard` (how the editor starts the server,
in the workspace folder) would otherwise import a workspace `random.py` or `json.py` in place of the standard
library's, crash, and run the user's code (launch.drop_working_folder_from_path)."""

from __future__ import annotations

import json
import subprocess
import sys

SHADOWED = ("argparse", "ast", "dataclasses", "hashlib", "inspect", "json", "logging", "random", "textwrap",
            "tokenize", "typing", "concurrent", "libcst", "jedi", "pygls", "lsprotocol", "cattrs")


def shadowing_workspace(tmp_path):
    for name in SHADOWED:
        (tmp_path / f"{name}.py").write_text(f"raise SystemExit('the workspace {name}.py was imported')\n")
    (tmp_path / "train.py").write_text("import torch\nw = torch.ones(2, requires_grad=True)\nw += 1\n")
    return tmp_path


def test_check_in_a_folder_whose_files_are_named_like_the_standard_library(tmp_path):
    folder = shadowing_workspace(tmp_path)
    done = subprocess.run([sys.executable, "-m", "gradguard", "check", "--no-cache", "train.py"], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    assert "was imported" not in done.stdout + done.stderr
    assert done.returncode == 1, done.stderr
    assert "train.py:3:1: GG101" in done.stdout


def test_server_starts_in_such_a_workspace_folder(tmp_path):
    folder = shadowing_workspace(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "gradguard", "lsp"], cwd=folder, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}}).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()
        length = 0
        while True:
            line = proc.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        assert length, proc.stderr.read1().decode(errors="replace") if proc.poll() is not None else "no reply"
        reply = json.loads(proc.stdout.read(length))
        assert reply["id"] == 1 and "capabilities" in reply["result"]
    finally:
        proc.kill()
        proc.wait(timeout=10)


def client_probe() -> str:
    """The Python program the VS Code client runs (`python -c PROBE`, in the workspace folder) before it starts the
    server, read from client/src/server.ts: a list of single-quoted lines joined with newlines."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "client" / "src" / "server.ts").read_text()
    block = source.split("const PROBE = [", 1)[1].split("].join(", 1)[0]
    lines = [line.strip().rstrip(",") for line in block.splitlines() if line.strip().startswith("'")]
    return "\n".join(line[1:-1].replace("\\'", "'") for line in lines)


def test_the_clients_probe_in_such_a_workspace_folder(tmp_path):
    folder = shadowing_workspace(tmp_path)
    done = subprocess.run([sys.executable, "-c", client_probe()], cwd=folder, capture_output=True, text=True,
                          timeout=120)
    assert "was imported" not in done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert "error" not in report and report["version"], report
