"""Safety: analysing a file never runs it, never imports it or its neighbours, and opens no network connection.

The user's workspace here is hostile: its top level writes marker files and calls os.system / subprocess /
socket, it imports a sibling module that writes a marker and raises on import, and (last test) a package holds a
module that exists only as bytecode (a sourceless .pyc: importing it runs it, as a native extension would). Checked in
process (the engine, the CLI) and in a subprocess under a `sys.addaudithook` hook (the language server and the
CLI), which records every connect, DNS lookup, process spawn, exec of a code object and import of the user's
modules.
"""

from __future__ import annotations

import json
import os
import py_compile
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from stdio_lsp import StdioServer

USER_MODULES = ("evil_sibling", "evilpkg", "train")


def hostile_workspace(root: Path, bytecode: bool = True) -> Path:
    """The workspace; returns the folder where the code would leave its markers. `bytecode`: with the package whose
    module exists only as a .pyc (see test_a_module_present_only_as_bytecode_is_never_imported)."""
    markers = root.parent / f"{root.name}-markers"
    markers.mkdir()
    m = markers.as_posix()
    (root / "pyproject.toml").write_text('[project]\nname = "hostile"\n')
    (root / "train.py").write_text(textwrap.dedent(f'''\
        import os
        import socket
        import subprocess
        import torch
        import evil_sibling
        from evil_sibling import scale_
        from evilpkg.native import shift_

        open("{m}/top_level_ran", "w").write("ran")
        os.system("touch {m}/os_system_ran")
        subprocess.run(["touch", "{m}/subprocess_ran"])
        exec("open('{m}/exec_ran', 'w')")
        socket.create_connection(("93.184.216.34", 80))
        __import__("urllib.request").request.urlopen("http://example.com/")

        x = torch.ones(3, requires_grad=True)
        y = torch.sigmoid(x)
        scale_(y)
        shift_(y)
        evil_sibling.scale_(y)
        y.mul_(2)
        y.sum().backward()
        '''))
    (root / "evil_sibling.py").write_text(textwrap.dedent(f'''\
        open("{m}/sibling_imported", "w").write("imported")
        raise RuntimeError("importing this module is an attack")


        def scale_(t):
            t.mul_(2)
        '''))
    if not bytecode:
        return markers
    pkg = root / "evilpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    source = root.parent / f"{root.name}-native_src.py"
    source.write_text(f'open("{m}/bytecode_imported", "w").write("imported")\n\ndef shift_(t):\n    t.add_(1)\n')
    py_compile.compile(str(source), cfile=str(pkg / "native.pyc"), doraise=True)
    source.unlink()
    return markers


def test_the_engine_and_the_cli_never_run_or_import_the_users_code(tmp_path, capsys):
    from gradguard.cli import main
    from gradguard.engine import analyze

    root = tmp_path / "ws"
    root.mkdir()
    markers = hostile_workspace(root)
    source = (root / "train.py").read_text()
    result = analyze(source, str(root / "train.py"))
    mul_line = source.splitlines().index("y.mul_(2)") + 1
    assert ("GG201", mul_line) in [(f.code, f.span.line) for f in result.findings]  # analysed, not run
    for incremental in (False, True):
        analyze(source, str(root / "train.py"), incremental=incremental)
    assert main(["check", "-j", "1", str(root)]) == 1
    assert "GG201" in capsys.readouterr().out
    assert sorted(os.listdir(markers)) == []
    assert not [name for name in sys.modules if name.split(".")[0] in USER_MODULES]


AUDIT_RUNNER = '''\
import json, os, sys
_log = open(os.environ["GG_AUDIT_LOG"], "a", buffering=1)
_user = tuple(os.environ["GG_USER_MODULES"].split(","))
_root = os.environ["GG_WORKSPACE"]
_watch = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.sendmsg",
          "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
          "pty.spawn", "urllib.Request", "http.client.connect", "webbrowser.open", "ctypes.dlopen")

def _hook(event, args):
    if event == "import":
        name = args[0] or ""
        if name.split(".")[0] in _user or name.split(".")[0] == "torch":
            _log.write(json.dumps(["import", name]) + "\\n")
    elif event == "exec":
        filename = getattr(args[0], "co_filename", "")
        if filename.startswith(_root):
            _log.write(json.dumps(["exec", filename]) + "\\n")
    elif event.startswith(_watch):
        _log.write(json.dumps([event, repr(args)[:300]]) + "\\n")

sys.addaudithook(_hook)
mode = sys.argv[1]
if mode == "lsp":
    from gradguard.lsp.server import main
    sys.exit(main(sys.argv[2:]))
from gradguard.cli import main
sys.exit(main(sys.argv[1:]))
'''


def _audited(tmp_path: Path, root: Path) -> tuple[list[str], dict]:
    runner = tmp_path / "audited.py"
    runner.write_text(AUDIT_RUNNER)
    log = tmp_path / "audit.log"
    env = {**os.environ, "GG_AUDIT_LOG": str(log), "GG_USER_MODULES": ",".join(USER_MODULES),
           "GG_WORKSPACE": str(root)}
    return [sys.executable, str(runner)], env


def _events(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "audit.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _non_loopback(events) -> list:
    bad = []
    for event, *args in events:
        if event.startswith(("socket.", "http.", "urllib.")):
            text = " ".join(args)
            if not any(local in text for local in ("127.0.0.1", "'::1'", "'localhost'", "AF_UNIX")):
                bad.append([event, *args])
    return bad


def test_the_language_server_runs_nothing_imports_nothing_and_connects_nowhere(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    markers = hostile_workspace(root, bytecode=False)
    command, env = _audited(tmp_path, root)
    neutral = tmp_path / "elsewhere"  # the server's working directory (see the bytecode test for the workspace)
    neutral.mkdir()
    uri = (root / "train.py").as_uri()
    text = (root / "train.py").read_text()
    with StdioServer(command + ["lsp"], cwd=str(neutral), env=env, stderr_path=tmp_path / "server.stderr") as server:
        server.initialize(root)
        server.notify("textDocument/didOpen",
                      {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        params = server.wait_for_diagnostics(uri, 1, timeout=60)
        line = text.splitlines().index("y.mul_(2)")
        # y.mul_(2) after sigmoid; the calls into evil_sibling.scale_ too when jedi resolves them in its budget
        assert ("GG201", line) in [(d["code"], d["range"]["start"]["line"]) for d in params["diagnostics"]]
        server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": 0}})
        server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                    "end": {"line": line + 2, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix", "source.fixAll"]}})
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": text + "import evilpkg.native\n"}]})
        server.wait_for_diagnostics(uri, 2, timeout=60)
        server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert server.close() == 0
    events = _events(tmp_path)
    assert _non_loopback(events) == []
    assert [e for e in events if e[0] in ("import", "exec") or e[0].startswith(("subprocess", "os.", "pty."))] == []
    assert sorted(os.listdir(markers)) == []


def test_the_cli_runs_nothing_imports_nothing_and_connects_nowhere(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    markers = hostile_workspace(root, bytecode=False)
    command, env = _audited(tmp_path, root)
    proc = subprocess.run(command + ["check", "-j", "1", str(root)], env=env, cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "GG201" in proc.stdout, proc.stderr
    events = _events(tmp_path)
    assert _non_loopback(events) == []
    assert [e for e in events if e[0] in ("import", "exec") or e[0].startswith(("subprocess", "os.", "pty."))] == []
    assert sorted(os.listdir(markers)) == []


@pytest.mark.parametrize("how", ["python -m in the workspace", "PYTHONPATH=workspace", "audit: import attempted"])
def test_a_module_present_only_as_bytecode_is_never_imported(tmp_path, how):
    root = tmp_path / "ws"
    root.mkdir()
    markers = hostile_workspace(root)
    if how == "python -m in the workspace":  # how editors start the server: `python -m gradguard lsp` in the folder
        command, cwd, env = [sys.executable, "-m", "gradguard", "check", "-j", "1", "train.py"], root, dict(os.environ)
    elif how == "PYTHONPATH=workspace":
        command, cwd, env = [sys.executable, "-m", "gradguard", "check", "-j", "1", str(root / "train.py")], \
            tmp_path, {**os.environ, "PYTHONPATH": str(root)}
    else:  # the workspace is not on sys.path: the import fails, but jedi still tries it
        command, env = _audited(tmp_path, root)
        command, cwd = command + ["check", "-j", "1", str(root)], tmp_path
    subprocess.run(command, cwd=str(cwd), env=env, capture_output=True, timeout=120)
    assert sorted(os.listdir(markers)) == []
    assert [e for e in _events(tmp_path) if e[0] == "import"] == []
