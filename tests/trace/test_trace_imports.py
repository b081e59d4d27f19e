"""torch stays inside the trace recorder: the static analysis, the server and trace's reporting never import it,
and only the `trace` command leads into gradguard.trace."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "gradguard"
TORCH_MODULES = {"trace/recorder.py", "trace/numpy_watch.py", "trace/runner.py"}


def _package_files():
    return [p for p in PACKAGE.rglob("*.py") if "examples" not in p.relative_to(PACKAGE).parts]


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.add(("." * node.level) + (node.module or ""))
    return out


def test_only_the_recorder_runner_and_numpy_watch_import_torch():
    importing = {p.relative_to(PACKAGE).as_posix() for p in _package_files()
                 if any(name == "torch" or name.startswith("torch.") for name in _imports(p))}
    assert importing == TORCH_MODULES


def test_only_the_cli_leads_into_trace():
    leading = {p.relative_to(PACKAGE).as_posix() for p in _package_files() if "trace" not in p.relative_to(PACKAGE).parts
               and any(name in (".trace.command", "gradguard.trace.command") or ".trace" == name
                       or name.startswith(("gradguard.trace", ".trace.")) for name in _imports(p))}
    assert leading == {"cli.py"}


def test_cli_server_and_trace_reporting_load_without_torch():
    code = ("import sys, gradguard.cli, gradguard.lsp.server, gradguard.trace.report, gradguard.trace.command, "
            "gradguard.lsp.trace_results; print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
