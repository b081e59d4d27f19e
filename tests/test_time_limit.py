"""A file that reaches the time limit keeps what the walk found before it stopped, module scope included."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from gradguard.analysis.checker import check_source
from gradguard.config import Config

HEAD = """import torch

x = torch.randn(3, requires_grad=True)
y = torch.sigmoid(x)
y.mul_(2)
y.sum().backward()
"""


def long_module(blocks: int) -> str:
    body = [HEAD]
    for i in range(blocks):
        body.append(f"a{i} = torch.randn(3, requires_grad=True)\nb{i} = torch.sigmoid(a{i}) * 2\n"
                    f"if b{i}.sum() > 0:\n    b{i} = b{i} + a{i}\n")
    return "".join(body)


class StatementsDeadline:
    """A deadline reached at the walk's n-th statement: the cut does not depend on the machine's speed (a 0.05 s
    limit was reached before line 5 when a garbage collection came first)."""

    def __init__(self, statements: int):
        self.at = float("-inf")  # context.Budget.check asks `reached()` at every statement
        self.left = statements

    def reached(self) -> bool:
        self.left -= 1
        return self.left < 0


def test_module_scope_findings_survive_the_time_limit(monkeypatch):
    from gradguard.analysis import checker

    source = long_module(600)
    full = check_source(source, "long.py", Config(), time_limit=None)
    assert [f.code for f in full.findings] == ["GG201"]
    monkeypatch.setattr(checker, "Deadline", lambda limit: StatementsDeadline(100))
    cut = check_source(source, "long.py", Config(), time_limit=10)
    assert cut.error and "time limit" in cut.error, "the walk must be cut short for this test to mean anything"
    assert [(f.code, f.span.line) for f in cut.findings] == [(f.code, f.span.line) for f in full.findings]


def test_the_cli_prints_them(tmp_path):
    script = tmp_path / "long.py"
    script.write_text(long_module(600))
    code = ("import sys, gradguard.analysis.checker as c, test_time_limit as t; "
            "c.Deadline = lambda limit: t.StatementsDeadline(100); "
            "import gradguard.cli as cli; sys.exit(cli.main(['check', '--no-follow', sys.argv[1]]))")
    done = subprocess.run([sys.executable, "-c", code, str(script)], capture_output=True, text=True,
                          cwd=Path(__file__).parent)
    assert "time limit" in done.stderr
    assert "GG201" in done.stdout and "No findings" not in done.stdout
    assert done.returncode == 2


def test_the_limit_counts_the_cpu_time_of_the_analysis_not_the_time_it_waited(monkeypatch):
    """A busy machine (or a pause) makes the analysis wait for the CPU: that is not time the analysis ran, and the
    same file must give the same findings however loaded the machine is (analysis/deadline.py)."""
    from gradguard.analysis import checker

    check_source(HEAD, "warm.py", Config(), time_limit=None)  # lazy imports and facts, before the short limit
    walk = checker.Interpreter.run_block
    waited = []

    def wait_then_walk(self, body, state):
        if not waited:
            waited.append(time.sleep(0.5))  # no CPU spent: as if another process had the core
        return walk(self, body, state)

    monkeypatch.setattr(checker.Interpreter, "run_block", wait_then_walk)
    started = time.monotonic()
    result = check_source(long_module(3), "waits.py", Config(), time_limit=0.3)
    assert time.monotonic() - started >= 0.5  # past the limit on the wall clock
    assert result.error is None and not result.timed_out
    assert [f.code for f in result.findings] == ["GG201"]


class ParsesDeadline:
    """Time runs out once the project has parsed `files` other files: the cut falls inside the resolution of one
    call, which parses a package's star-imported modules without reaching a statement of the walk."""

    def __init__(self, project, files: int):
        self.at = float("-inf")
        self.project, self.files = project, files

    def reached(self) -> bool:
        return self.project.stats["parsed"] >= self.files


def test_the_limit_stops_the_parsing_of_other_files_within_one_statement(monkeypatch, tmp_path):
    from gradguard import engine
    from gradguard.analysis import checker
    from gradguard.project import Project

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("".join(f"from .m{i} import *\n" for i in range(30)))
    for i in range(30):
        (pkg / f"m{i}.py").write_text(f"def f{i}(t):\n    return t\n")
    (pkg / "m29.py").write_text("def helper(t):\n    t.mul_(2)\n")
    source = HEAD + "\nfrom pkg import helper\n\nhelper(x)\n"
    project = Project(str(tmp_path))
    monkeypatch.setattr(checker, "Deadline", lambda limit: ParsesDeadline(project, 3))
    cut = engine.analyze(source, str(tmp_path / "train.py"), project=project)
    assert project.stats["parsed"] == 3, "the fourth file was parsed past the time limit"
    assert cut.timed_out and "time limit" in cut.error
    assert [(f.code, f.span.line) for f in cut.findings] == [("GG201", 5)]  # found before the cut: still shown
    monkeypatch.undo()
    full = engine.analyze(source, str(tmp_path / "train.py"), project=Project(str(tmp_path)))
    assert full.error is None and ("GG101", 10) in [(f.code, f.span.line) for f in full.findings]


def test_a_cross_file_pass_cut_at_the_limit_marks_the_result_cut(monkeypatch, tmp_path):
    """The passes that read other files keep what they found when time runs out, but the result is not whole:
    marked timed out (so the CLI's cache does not keep it as the file's answer) and saying so."""
    from gradguard import engine
    from gradguard.analysis import checker
    from gradguard.project import Project

    (tmp_path / "helper.py").write_text("import torch\n\n\ndef scale(t):\n    t.mul_(2)\n    return t\n")
    (tmp_path / "train.py").write_text("import torch\nfrom helper import scale\n\nx = torch.randn(3, requires_grad=True)\n"
                                       "y = torch.sigmoid(x)\nscale(y)\ny.sum().backward()\n")
    source = (tmp_path / "helper.py").read_text()
    full = engine.analyze(source, str(tmp_path / "helper.py"), project=Project(str(tmp_path)))
    assert full.error is None and not full.timed_out
    assert [(f.code, f.span.line) for f in full.findings] == [("GG201", 5)]  # train.py's sigmoid output, proven there
    project = Project(str(tmp_path))
    monkeypatch.setattr(checker, "Deadline", lambda limit: ParsesDeadline(project, 1))  # helper.py's walk parses none
    cut = engine.analyze(source, str(tmp_path / "helper.py"), project=project)
    assert cut.timed_out and "time limit" in cut.error
