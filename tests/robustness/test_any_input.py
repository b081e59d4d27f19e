"""Any input, no crash: each odd file gets normal results or one clear message, in bounded time.

In-process through `analyze()` (the text an editor would send), through `gradguard check` on files (the bytes a
file system holds: encodings, BOMs, NUL bytes, FIFOs), and through the language server.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fuzzing import analyse_and_check, time_bound

LEAF = "import torch\nx = torch.ones(3, requires_grad=True)\nx += 1\n"  # GG101 on line 3
PRE = "import torch\nx = torch.ones(3, requires_grad=True)\n"
NOTEBOOK = json.dumps({
    "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": ["import torch\n", "x = torch.ones(3, requires_grad=True)\n", "x += 1\n"]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def junk(seed: int, size: int = 20_000) -> str:
    """Random bytes (no NUL) read the way a lenient editor would show them."""
    rnd = random.Random(seed)
    return bytes(rnd.randrange(1, 256) for _ in range(size)).decode("latin-1")


# name -> (text, what must come out: a line number = GG101 found there, "error" = a clear message, "any")
TEXTS = {
    "binary junk": (junk(1), "any"),
    "binary junk with newlines": ("\n".join(junk(seed, 200) for seed in range(50)), "any"),
    "NUL bytes": ("import torch\x00\nx = 1\n", "error"),
    "NUL at the end": (LEAF + "\x00", "error"),
    "1000 nested parentheses": ("x = " + "(" * 1000 + "1" + ")" * 1000 + "\n", "error"),
    "1000 nested brackets": ("x = " + "[" * 1000 + "]" * 1000 + "\n", "error"),
    "1000 nested braces": ("x = " + "{1: " * 1000 + "1" + "}" * 1000 + "\n", "error"),
    "1000 open brackets, never closed": (PRE + "y = " + "([{" * 333 + "\n" + "x += 1\n", "error"),
    "1000 nested calls": (PRE + "y = " + "torch.sigmoid(" * 1000 + "x" + ")" * 1000 + "\n", "error"),
    "100,000 chained additions": (PRE + "y = " + " + ".join(["x"] * 100_000) + "\n", "error"),
    "100,000 unary minus": (PRE + "y = " + "-" * 100_000 + "x\n", "error"),
    "50,000 attribute accesses": (PRE + "y = x" + ".T" * 50_000 + "\n", "error"),
    "1000 chained method calls": (PRE + "y = x" + ".sigmoid()" * 1000 + "\ny.mul_(2)\ny.sum().backward()\n", "any"),
    "1000 nested lambdas": ("f = " + "lambda: " * 1000 + "1\n", "any"),
    "1000 nested conditional expressions": (PRE + "y = " + "x if x else " * 1000 + "x\n", "any"),
    "100 nested ifs": ("".join("    " * i + "if x:\n" for i in range(100)) + "    " * 100 + "pass\n", "error"),
    "99 nested functions": (PRE + "".join("    " * i + f"def f{i}(a):\n" for i in range(99))
                            + "    " * 99 + "x.add_(1)\n", "any"),
    "a 2 MB string on one line": (PRE + "s = '" + "a" * 2_000_000 + "'\nx += 1\n", 4),
    "a 200 kB line of code": (PRE + "y = [" + "x, " * 70_000 + "]\nx += 1\n", 4),
    "mixed line endings": ("import torch\r\nx = torch.ones(3, requires_grad=True)\rx += 1\n", 3),
    "only carriage returns": (LEAF.replace("\n", "\r"), 3),
    "form feeds and other splitlines() breaks": ("import torch\n\x0c\nx = torch.ones(3, requires_grad=True)\n"
                                                 "# \u2028 \x1c \x85\nx += 1\n", 5),
    "a BOM": ("\ufeff" + LEAF, 3),
    "two BOMs": ("\ufeff\ufeff" + LEAF, "error"),
    "a BOM in the middle": ("import torch\n\ufeffx = 1\n", "error"),
    "tabs": ("import torch\nif True:\n\tx = torch.ones(3, requires_grad=True)\n\tx += 1\n", "any"),
    "tabs and spaces mixed inconsistently": ("import torch\nif True:\n\tx = 1\n        y = 2\n", "error"),
    "Python 2": ("import torch\nprint 'hello'\nexec 'x = 1'\nraise ValueError, 'x'\n", "error"),
    "Python 2 between good code": (LEAF + "print 'hello'\n", 3),
    "notebook JSON in a .py": (NOTEBOOK, "any"),
    "lone surrogate": ("x = '\ud800'\n", "error"),
    "empty": ("", "any"),
    "only whitespace": ("  \n\t\n\r\n   ", "any"),
    "only a backslash": ("\\", "error"),
    "an unclosed triple-quoted string": (LEAF + '"""\n' + LEAF, 3),
    "control characters": (LEAF + "# \x01\x02\x1b[31m\x7f\n", 3),
    "astral characters before the finding": ("import torch\ns = '😀😀'; x = torch.ones(3, requires_grad=True)\n"
                                             "😀 = 1\nx += 1\n", "any"),
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_analyze_answers_anything(name):
    text, expect = TEXTS[name]
    result = analyse_and_check(text, f"{name}.py")
    if isinstance(expect, int):
        assert [(f.code, f.span.line) for f in result.findings] == [("GG101", expect)], result.error
    elif expect == "error":
        assert result.error, "expected one clear message"


def test_a_50000_line_file_in_bounded_time():
    body = "import torch\n" + "".join(
        f"def f{i}(a):\n    b = torch.sigmoid(a)\n    c = b * 2\n    return c.sum()\n\n" for i in range(10_000)
    ) + "x = torch.ones(3, requires_grad=True)\nx += 1\n"
    assert body.count("\n") == 50_003
    result = analyse_and_check(body, "big.py")
    # on a fast machine the whole file, else the engine's time limit and what it found so far
    assert [(f.code, f.span.line) for f in result.findings] == [("GG101", 50_003)] or \
        result.error.startswith("analysis stopped after")


def test_the_time_limit_stops_a_slow_file_with_a_clear_message():
    from gradguard.analysis.checker import check_source
    from gradguard.config import Config

    slow = PRE + "x = x.sigmoid()\n" * 20_000  # each statement makes the history longer
    started = time.thread_time()  # the limit counts this thread's CPU time (analysis/deadline.py)
    result = check_source(slow, "slow.py", Config(), time_limit=1.0)
    assert time.thread_time() - started < 1.0 + 6  # parsing 20,000 statements is not counted by the limit
    assert result.error == "analysis stopped after 1 s of CPU (time limit); findings so far are shown"


# -- the CLI: files as bytes --------------------------------------------------------------------------------

FILES = {
    "good.py": LEAF.encode(),
    "binary.py": bytes(range(1, 256)) * 40,
    "nul.py": b"x = 1\x00\n",
    "latin1.py": b"# caf\xe9\nx = 1\n",
    "latin1_declared.py": b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + LEAF.encode(),
    "bom.py": b"\xef\xbb\xbf" + LEAF.encode(),
    "bom_and_latin1_cookie.py": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n",
    "unknown_cookie.py": b"# -*- coding: klingon -*-\nx = 1\n",
    "utf16.py": LEAF.encode("utf-16"),
    "surrogate_bytes.py": b"x = '\xed\xa0\x80'\n",
    "mixed_endings.py": b"import torch\r\nx = torch.ones(3, requires_grad=True)\rx += 1\n",
    "py2.py": b"print 'hello'\n",
    "notebook.py": NOTEBOOK.encode(),
    "deep.py": b"x = " + b"(" * 1000 + b")" * 1000 + b"\n",
    "tabs.py": b"import torch\nif True:\n\tx = torch.ones(3, requires_grad=True)\n\tx += 1\n",
    "empty.py": b"",
}
# what `gradguard check` must say about each (stdout: findings; stderr: one line per file that could not be read)
CLI_FINDS = {"good.py", "latin1_declared.py", "bom.py", "mixed_endings.py", "tabs.py"}
CLI_ERRORS = {"binary.py", "nul.py", "latin1.py", "bom_and_latin1_cookie.py", "unknown_cookie.py", "utf16.py",
              "surrogate_bytes.py", "py2.py", "deep.py", "fifo.py", "to_dev_zero.py", "dangling.py"}


@pytest.fixture
def odd_tree(tmp_path: Path) -> Path:
    root = tmp_path / "odd"
    root.mkdir()
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    os.mkfifo(root / "fifo.py")  # reading it would block forever
    (root / "to_dev_zero.py").symlink_to("/dev/zero")  # reading it would never end
    (root / "dangling.py").symlink_to(root / "missing")
    (root / "folder.py").mkdir()  # a folder named like a module: walked into, not read
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_reports_each_bad_file_once_and_checks_the_others(odd_tree, jobs):
    proc = subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", "-j", jobs, str(odd_tree)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("gradguard: ")]
    named = sorted(Path(line.split(": ", 2)[1]).name for line in errors)
    assert named == sorted(CLI_ERRORS), proc.stderr
    found = sorted({Path(line.split(":", 1)[0]).name for line in proc.stdout.splitlines() if ": GG" in line})
    assert found == sorted(CLI_FINDS), proc.stdout
    assert "Traceback" not in proc.stderr
    assert f"({len(FILES) + 3} checked)" in proc.stdout.splitlines()[-1]
    assert "could not be fully analysed" in proc.stdout.splitlines()[-1]  # never "All clear" over broken files


def test_cli_a_fifo_named_on_the_command_line_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    good = tmp_path / "good.py"
    good.write_text(LEAF)
    proc = subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", str(fifo), str(good)],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "good.py:3:1: GG101" in proc.stdout
    assert "pipe.py" in proc.stderr


def test_read_source_never_blocks_or_reads_without_end(tmp_path):
    from gradguard.cli import read_source

    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    assert read_source(str(fifo)) == (None, "not a regular file")
    assert read_source("/dev/zero") == (None, "not a regular file")
    text, error = read_source(str(tmp_path / "missing.py"))
    assert text is None and error.startswith("cannot read")


def test_cli_time_is_bounded_for_the_whole_odd_tree(odd_tree):
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", "-j", "1", str(odd_tree)],
                   capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert time.monotonic() - started < time_bound() * 2


@pytest.mark.parametrize("breaker", ["\x0c", "\u2028", "\x1c", "\x85"])
def test_noqa_is_read_on_the_findings_own_line_after_a_form_feed(breaker):
    text = f"import torch\n# page {breaker} break\nx = torch.ones(3, requires_grad=True)\nx += 1  # noqa\n"
    assert analyse_and_check(text).findings == []


@pytest.mark.parametrize("where", ["in process", "CLI"])
def test_warnings_as_errors_do_not_make_valid_code_a_syntax_error(tmp_path, where):
    """`s = "\\h"` is valid Python that warns when parsed: a CI running with -W error must still get findings."""
    import warnings

    text = 'import torch\ns = "\\h"\nx = torch.ones(3, requires_grad=True)\nx += 1\n'
    if where == "in process":
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = analyse_and_check(text, "escapes.py")
        assert result.error is None and [(f.code, f.span.line) for f in result.findings] == [("GG101", 4)]
        return
    path = tmp_path / "escapes.py"
    path.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", str(path)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert (proc.returncode, proc.stderr) == (1, "") and "escapes.py:4:1: GG101" in proc.stdout
