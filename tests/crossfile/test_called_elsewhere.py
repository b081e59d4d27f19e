"""A method whose in-place change breaks only the way a caller in another file calls it (users.py, callees).

fixtures/callee_changed_for_a_caller/ is laid out as slac.pytorch is: `agent` is a folder without `__init__.py`
(a namespace package), agent/nets/__init__.py re-exports the policy. policy.py's Policy.sample clamps a `chunk`
piece in place (`log_std.clamp_(-20, 2)`): alone, whether that raises depends on the caller's grad mode
(information). algo.py calls it in update_actor, whose backward() is the training step: torch raises there
(train.py). In its workspace, the finding is a warning on policy.py's line, with algo.py's call as related; algo.py
reports it at its own call, whichever file was analysed first.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "callee_changed_for_a_caller"
POLICY = "agent/nets/policy.py"
ALGO = "agent/algo.py"


def check(workspace: Path, rel: str, project: Project | None = None, strict: bool = False):
    path = workspace / rel
    project = project or Project(str(workspace), jedi_budget=10.0)
    return analyze(path.read_text(), str(path), Config(strict=strict), project=project)


def test_the_call_in_another_file_decides_the_finding_on_the_callee_line() -> None:
    want, _ = expected((WORKSPACE / POLICY).read_text())
    result = check(WORKSPACE, POLICY)
    assert result.error is None
    assert {(f.span.line, f.code) for f in result.findings} == want
    [finding] = result.findings
    assert finding.severity is Severity.WARNING and finding.depends_on is None
    caller = finding.related[0]
    assert (caller.path, caller.span.line) == (os.path.realpath(WORKSPACE / ALGO), 16)
    assert caller.message == "`sample` is called here (algo.py): backward fails for this use"


def test_the_caller_reports_it_after_the_callee_was_analysed() -> None:
    """One project, the callee first: its own imports asked of jedi must not hide its classes from the caller's
    (jedi kept the two lines it was asked as the callee's text)."""
    project = Project(str(WORKSPACE), jedi_budget=10.0)
    check(WORKSPACE, POLICY, project)
    want, _ = expected((WORKSPACE / ALGO).read_text())
    assert {(f.span.line, f.code) for f in check(WORKSPACE, ALGO, project).findings} == want


def test_without_the_workspace_the_callee_line_is_information() -> None:
    path = WORKSPACE / POLICY
    alone = analyze(path.read_text(), str(path), Config(strict=True)).findings
    assert [(f.span.line, f.code, f.severity) for f in alone] == [(18, "GG301", Severity.INFORMATION)]
    assert analyze(path.read_text(), str(path), Config()).findings == []


def test_torch_raises_where_the_markers_say() -> None:
    train = WORKSPACE / "train.py"
    _, raises = expected(train.read_text())
    got = run_under_torch([{"id": "t", "workspace": str(WORKSPACE), "file": str(train)}])["t"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


def test_a_caller_that_samples_under_no_grad_only_proves_nothing(tmp_path: Path) -> None:
    """explore() samples under no_grad: torch runs clean, and the callee's line stays information."""
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    algo = workspace / ALGO
    algo.write_text(algo.read_text().split("    def update_actor")[0].rstrip() + "\n")
    train = workspace / "train.py"
    train.write_text(train.read_text().split("algo.update_actor")[0])
    strict = check(workspace, POLICY, strict=True).findings
    assert [(f.span.line, f.severity) for f in strict] == [(18, Severity.INFORMATION)]
    assert check(workspace, POLICY).findings == [] and check(workspace, ALGO).findings == []
    got = run_under_torch([{"id": "n", "workspace": str(workspace), "file": str(train)}])["n"]
    assert not got["raised"], got


def test_the_out_of_place_clamp_gives_nothing(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    policy = workspace / POLICY
    policy.write_text(policy.read_text().replace("log_std.clamp_(-20, 2).exp()  # expect GG301",
                                                 "log_std.clamp(-20, 2).exp()"))
    train = workspace / "train.py"
    train.write_text(train.read_text().split("  # torch raises")[0] + "\n")
    assert check(workspace, POLICY, strict=True).findings == []
    assert check(workspace, ALGO).findings == []
    got = run_under_torch([{"id": "g", "workspace": str(workspace), "file": str(train)}])["g"]
    assert not got["raised"], got


def test_a_function_changing_its_argument_is_reported_where_a_caller_proves_it(tmp_path: Path) -> None:
    """A module-level helper that changes a parameter in place (no finding of its own walk: the argument is
    nothing known) is reported on its line when a function of another file gives it a chunk piece in training."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "ops.py").write_text(
        "import torch\n\n\ndef squash(x):\n    return x.div_(5.0).tanh()  # expect GG301\n")
    (tmp_path / "train.py").write_text(
        "import torch\n\nfrom ops import squash\n\n\ndef step(layer, x):\n"
        "    mu, log_sigma = torch.chunk(layer(x), 2, dim=1)\n"
        "    loss = (squash(mu) + squash(log_sigma)).sum()  # expect GG301\n    loss.backward()\n\n\n"
        "step(torch.nn.Linear(3, 4), torch.randn(2, 3))\n")
    for rel in ("ops.py", "train.py"):
        want, _ = expected((tmp_path / rel).read_text())
        assert {(f.span.line, f.code) for f in check(tmp_path, rel).findings} == want, rel
    [finding] = check(tmp_path, "ops.py").findings
    assert finding.related[0].path == os.path.realpath(tmp_path / "train.py")
    got = run_under_torch([{"id": "f", "workspace": str(tmp_path), "file": str(tmp_path / "train.py")}])["f"]
    assert got["raised"] and "is a view and is being modified inplace" in got["message"], got
    assert got["line"] == 8, got  # the innermost line of train.py: the call of squash


def test_a_helper_named_like_an_in_place_op_leaves_the_blame_to_its_call(tmp_path: Path) -> None:
    """`scale_(t, k)` says it changes its argument, as torch's `mul_` does: the call that hands it a tensor an op
    saved is the bug, reported there (main.py), never on the helper's line."""
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "mutating_helper", tmp_path / "ws")
    workspace = tmp_path / "ws"
    assert [f.code for f in check(workspace, "main.py").findings] == ["GG201"]
    assert check(workspace, "helpers.py", strict=True).findings == []
