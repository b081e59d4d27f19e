"""The latest `gradguard trace` result as diagnostics (source "gradguard trace"), through `gradguard lsp`.

The result file is written by trace's own reporting code (gradguard/trace/report.py, which does not import
torch) from an observation, as a run would leave it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lsp_helpers import change, init, open_doc, published, wait_until, write

from gradguard.cli import check_file
from gradguard.trace.events import Observation
from gradguard.trace.frames import Place
from gradguard.trace.report import RESULT_DIR, RESULT_FILE, RUNTIME_ONLY, build, write_last

PROGRAM = """\
import torch
x = torch.tensor([0.5, 1.0], requires_grad=True)
y = torch.sigmoid(x)
getattr(y, "mul_")(2)
y.sum().backward()
"""


def leave_trace_result(root: Path, program: Path) -> None:
    path = str(program)
    obs = Observation("GG201", "aten.mul_.Tensor changes a tensor of shape [2] in place after it was saved",
                      (Place(path, 4, "<module>"),),
                      [(Place(path, 3, "<module>"), "saved here by aten.sigmoid (SigmoidBackward0)"),
                       (Place(path, 5, "<module>"), "backward() fails here")], "raised")
    write_last(build([obs], strict=False, check=check_file), [path], 1, str(root))


def traced(params):
    return [d for d in params.diagnostics if d.source == "gradguard trace"]


async def test_trace_result_is_shown_until_the_file_is_edited(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "train.py", PROGRAM)
    leave_trace_result(tmp_path, tmp_path / "train.py")
    assert (tmp_path / RESULT_DIR / RESULT_FILE).is_file()
    open_doc(client, uri, PROGRAM, version=1)
    params = await published(client, uri, 1)
    [diag] = traced(params)
    assert diag.code == "GG201" and diag.range.start.line == 3 and diag.range.start.character == 0
    assert diag.message.endswith(f"[{RUNTIME_ONLY}]")  # the static analysis misses a getattr call
    assert {(i.location.range.start.line, i.message) for i in diag.related_information} == {
        (2, "saved here by aten.sigmoid (SigmoidBackward0)"), (4, "backward() fails here")}
    assert [d for d in params.diagnostics if d.source == "gradguard"] == []
    change(client, uri, 2, (None, PROGRAM + "print(y)\n"))
    assert traced(await published(client, uri, 2)) == []


async def test_a_run_that_ends_while_the_file_is_open_shows_up(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "train.py", PROGRAM)
    os.makedirs(tmp_path / RESULT_DIR)
    (tmp_path / RESULT_DIR / RESULT_FILE).write_text("{not json", encoding="utf-8")  # a broken file: nothing shown
    open_doc(client, uri, PROGRAM, version=1)
    assert traced(await published(client, uri, 1)) == []
    leave_trace_result(tmp_path, tmp_path / "train.py")
    await wait_until(lambda: any(p.uri == uri and traced(p) for p in client.published), 10.0, "trace diagnostics")


async def test_a_real_trace_run_shows_on_the_open_file(client, tmp_path):
    """End to end: `gradguard trace` runs the program under torch, and the editor shows what it found."""
    await init(client, tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    uri = write(tmp_path, "train.py", PROGRAM)
    open_doc(client, uri, PROGRAM, version=1)
    assert traced(await published(client, uri, 1)) == []
    done = subprocess.run([sys.executable, "-m", "gradguard", "trace", "train.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    await wait_until(lambda: any(p.uri == uri and traced(p) for p in client.published), 15.0, "trace diagnostics")
    [diag] = traced(next(p for p in reversed(client.published) if p.uri == uri and traced(p)))
    assert (diag.code, diag.range.start.line) == ("GG201", 3)
    assert {(i.location.range.start.line, i.message) for i in diag.related_information} == {
        (2, "saved here by aten.sigmoid (SigmoidBackward0)"), (4, "backward() fails here")}
