"""Tests of the benchmark's own machinery (no corpus needed): `pytest bench/test_bench.py`."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import audit  # noqa: E402
import run  # noqa: E402
from lsp_client import LspClient, text_range  # noqa: E402

MODEL = textwrap.dedent('''\
    import torch
    from torch import nn


    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 4)

        def forward(self, hidden_states, mask=None):
            """Docstring."""
            residual = hidden_states
            hidden_states = self.lin(hidden_states)
            return hidden_states + residual
    ''')


def test_edit_point_is_inside_forward_after_its_first_statement():
    line, indent, var = run.edit_point(MODEL)
    assert MODEL.split("\n")[line].strip() == "residual = hidden_states"
    assert indent == " " * 8
    assert var == "hidden_states"


def test_edit_script_types_one_character_at_a_time_and_restores_the_text():
    line, indent, var = run.edit_point(MODEL)
    line_text = MODEL.split("\n")[line]
    edits = run.edit_script(line, line_text, indent, var, 200)
    assert len(edits) == 200
    kinds = [k for _, k in edits]
    assert kinds[0] == "newline" and "delete line" in kinds
    assert all(len(c["text"]) == 1 for c, k in edits if k == "type")
    text = MODEL
    seen_statement = False
    for change, kind in edits:
        text = run.apply_change(text, change)
        if kind == "delete line":
            assert text == MODEL  # every cycle ends where it began
        if f"{var}.mul_(0.5)" in text:
            seen_statement = True
            compile(text, "m.py", "exec")  # a finished statement is valid Python
    assert seen_statement


def test_walk_findings_accepts_flat_and_nested_shapes():
    flat = [{"path": "a.py", "code": "GG101", "severity": "error", "message": "m", "line": 3, "column": 5}]
    nested = {"files": [{"path": "b.py", "findings": [
        {"code": "GG102", "severity": "warning", "message": "m", "span": {"line": 7, "column": 2}}]}]}
    assert [(p, f["code"]) for p, f in run.walk_findings(flat)] == [("a.py", "GG101")]
    [(p, f)] = run.walk_findings(nested)
    assert p == "b.py" and run.finding_position(f) == (7, 2)


def test_audit_attributes_stderr_lines_to_packages():
    files = ["timm/timm/a.py", "peft/peft/b.py"]
    bad = audit.failed_files("timm/timm/a.py: syntax error at line 3\nsomething else\n", files)
    assert bad == {"timm/timm/a.py": "timm/timm/a.py: syntax error at line 3"}


def test_lsp_client_against_a_pygls_server(tmp_path):
    client = LspClient([sys.executable, str(HERE / "fake_lsp_server.py")], cwd=str(tmp_path),
                       stderr_path=str(tmp_path / "err"))
    client.start()
    try:
        client.initialize(str(tmp_path), {"settings": {"debounceMs": 0}})
        assert client.sync_kind == 2
        uri = (tmp_path / "m.py").as_uri()
        client.did_open(uri, "import torch\nx = torch.ones(3)\n")
        d = client.wait_diagnostics(uri, 1, timeout=20)
        assert d is not None and d.version == 1 and d.diagnostics == []
        t = client.did_change(uri, 2, [{"range": text_range(2, 0, 2, 0), "text": "x.add_(1)\n"}])
        d = client.wait_diagnostics(uri, 2, after=t, timeout=20)
        assert d is not None and d.version == 2
        assert [x["message"] for x in d.diagnostics] == ["in-place add_"]
        assert d.t >= t
    finally:
        assert client.shutdown() == 0


def test_lockstep_runs_both_versions_on_every_file(tmp_path, capsys):
    import lockstep

    examples = sorted((HERE.parent / "examples").rglob("*.py"))[:3]
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(str(p) for p in examples) + "\n")  # absolute paths: no corpus needed
    assert lockstep.main(["--old", "worktree", "--new", "worktree", "--rounds", "2", "--files", str(listing)]) == 0
    out = capsys.readouterr().out
    assert f"{len(examples)} files" in out and "2 rounds" in out
    rows = [line for line in out.splitlines() if line.startswith("| worktree |")]
    assert len(rows) == 2 and all(len(r.split(" / ")) == 2 for r in rows)
    assert "new ÷ old: " in out


def test_slow_files_pauses_the_walk_and_the_cpu_counted_limit_finishes(tmp_path, capsys):
    """A worker stopped inside its walk (SIGSTOP) for longer than the limit: the wall clock passes it, the CPU
    time does not (analysis/deadline.py), so the working tree finishes the file."""
    import signal

    import slow_files

    if not hasattr(signal, "SIGSTOP"):
        import pytest
        pytest.skip("no SIGSTOP")
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / "train.py").write_text("import torch\n\nx = torch.randn(3, requires_grad=True)\ny = torch.sigmoid(x)\n"
                                   "y.mul_(2)\ny.sum().backward()\n")
    listing = tmp_path / "files.txt"
    listing.write_text("repo train.py\n")
    assert slow_files.main(["--old", "worktree", "--new", "worktree", "--list", str(listing), "--trees",
                            str(tmp_path), "--limit", "0.5", "--pause", "1"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| repo/train.py |"))
    assert row.count("finished") == 2 and float(row.split("|")[4]) >= 1  # paused past the limit, yet finished
    assert "stopped: 0 -> 0 of 1" in out
