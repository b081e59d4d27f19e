"""A base class leaves its networks to subclasses (`self.critic = self.build_critic()`, a stub) and frees their
graph with a backward() that keeps nothing; a later step of the same method backpropagates through features of that
graph again (pytorch_GAN_zoo's BaseGAN: `lossGFake.backward()`, then GDPPLoss's backward through `phiGFake`,
realbugs C14). The base class's file alone cannot see what the stubs build; a file that builds a subclass and calls
the method proves the GG501, and the base class's file reports it on its first backward(), where the fix
(`retain_graph=True`) goes (users.freeing_methods). Checked under torch, with two good twins: the first backward()
keeping the graph, and the second step switched off by the caller."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "backward_freed_in_base_class"
FILES = ("base.py", "models.py", "train.py")


def findings_of(workspace: Path, name: str) -> set:
    path = workspace / name
    result = analyze(path.read_text(), str(path), Config(), project=Project(str(workspace), jedi_budget=10.0))
    assert result.error is None
    return result.findings


def test_the_user_of_the_subclass_proves_the_second_backward_and_torch_agrees() -> None:
    program = WORKSPACE / "train.py"
    want, raises = expected(program.read_text())
    assert {(f.span.line, f.code) for f in findings_of(WORKSPACE, "train.py")} == want
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(program)}])["p"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


def test_the_base_class_file_reports_it_on_its_first_backward() -> None:
    base, program = WORKSPACE / "base.py", WORKSPACE / "train.py"
    want, _ = expected(base.read_text())
    found = findings_of(WORKSPACE, "base.py")
    assert {(f.span.line, f.code) for f in found} == want
    (finding,) = found
    assert finding.severity is Severity.ERROR and finding.depends_on is None
    user = finding.related[0]
    call_line = next(iter(expected(program.read_text())[0]))[0]
    assert (user.path, user.span.line) == (os.path.realpath(program), call_line)
    assert user.message.startswith("`generator_step` is called here (train.py)")
    assert analyze(base.read_text(), str(base), Config()).findings == []  # alone: the stubs hide the graph


@pytest.mark.parametrize("file, old, new", [
    ("base.py", "loss.backward()  # expect GG501", "loss.backward(retain_graph=True)"),
    ("train.py", "MLPTrainer(penalize_features=True)", "MLPTrainer(penalize_features=False)"),
], ids=["graph_retained", "no_second_backward"])
def test_good_twins_run_clean_and_are_not_reported(tmp_path: Path, file: str, old: str, new: str) -> None:
    twin = tmp_path / "ws"
    shutil.copytree(WORKSPACE, twin)
    text = (twin / file).read_text()
    assert old in text
    (twin / file).write_text(text.replace(old, new))
    got = run_under_torch([{"id": "p", "workspace": str(twin), "file": str(twin / "train.py")}])["p"]
    assert not got["raised"], got
    for name in FILES:
        loud = [f for f in findings_of(twin, name) if f.severity in (Severity.ERROR, Severity.WARNING)]
        assert loud == [], (name, loud)
