"""The `gradguard trace` command end to end: exit codes, the static link, the result file, -m, --hooks-only."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gradguard.trace.report import CONFIRMED, RUNTIME_ONLY, STATIC_ONLY

LINKED = """\
import sys

import torch

z = torch.tensor([-4.0, 0.0, 4.0], requires_grad=True)
probs = torch.sigmoid(z)
probs.data.clamp_(0.05, 0.95)
(-torch.log(probs)).sum().backward()
y = torch.tanh(z)
getattr(y, "mul_")(2)
if len(sys.argv) > 5:
    e = torch.exp(z)
    e.add_(1)
    e.sum().backward()
print("before the last backward")
y.sum().backward()
"""


def trace(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gradguard", "trace", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    (tmp_path / "train.py").write_text(LINKED, encoding="utf-8")
    return tmp_path


def test_json_report_links_each_finding_to_the_static_analysis(project: Path):
    done = trace("--format", "json", "train.py", cwd=project)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)  # the program's own output went to stderr
    assert "before the last backward" in done.stderr
    assert "SavedTensorChanged: one of the variables needed for gradient computation" in done.stderr
    found = {(f["code"], f["line"]): f for f in report["findings"]}
    assert set(found) == {("GG401", 7), ("GG201", 10)}
    assert found["GG401", 7]["static"] == CONFIRMED
    assert found["GG201", 10]["static"] == RUNTIME_ONLY  # a getattr call: a lead for the static engine
    assert [(f["code"], f["line"], f["static"]) for f in report["static_only"]] == [("GG201", 13, STATIC_ONLY)]
    last = json.loads((project / ".gradguard_trace" / "last.json").read_text(encoding="utf-8"))
    assert {(f["path"], f["line"]) for f in last["findings"]} == {(str(project / "train.py"), 7),
                                                                  (str(project / "train.py"), 10)}
    assert last["exit_code"] == 1
    assert (project / ".gradguard_trace" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_text_report_is_check_format_on_stderr(project: Path):
    done = trace("train.py", cwd=project)
    assert done.returncode == 1
    assert done.stdout == "before the last backward\n"  # the program's stdout is its own
    err = done.stderr
    assert "train.py:10:1: GG201 [error] aten.mul_.Tensor changes a tensor of shape [3] in place" in err
    assert "    train.py:9:1: saved here by aten.tanh (TanhBackward0)\n    train.py:16:1: backward() fails here" in err
    assert f"    static analysis: {RUNTIME_ONLY}" in err
    assert f"train.py:13:5: GG201 [error]" in err and f"static analysis: {STATIC_ONLY}" in err


def test_sarif_report(project: Path):
    done = trace("--format", "sarif", "--no-static", "train.py", cwd=project)
    log = json.loads(done.stdout)
    results = log["runs"][0]["results"]
    assert sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results) \
        == [("GG201", 10), ("GG401", 7)]


def test_module_mode_keeps_the_programs_exit_code(tmp_path: Path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "clean.py").write_text(textwrap.dedent("""\
        import sys
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        torch.sigmoid(x).sum().backward()
        print(sys.argv[1:])
        sys.exit(3)
        """), encoding="utf-8")
    done = trace("-m", "pkg.clean", "--flag", "value", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "['--flag', 'value']\n"
    assert "no autograd problem in this run" in done.stderr


def test_hooks_only_finds_the_change_at_backward(tmp_path: Path):
    (tmp_path / "p.py").write_text(textwrap.dedent("""\
        import torch
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.sigmoid(x)
        y.mul_(2)
        y.sum().backward()
        """), encoding="utf-8")
    done = trace("--hooks-only", "--format", "json", "--no-static", "p.py", cwd=tmp_path)
    assert done.returncode == 1
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["code"], finding["line"]) == ("GG201", 5)
    assert "the line that changed it was not seen" in finding["message"]
    assert "one of the variables needed for gradient computation has been modified" in done.stderr


@pytest.mark.parametrize("args, message", [((), "give a script or -m module"),
                                           (("missing.py",), "missing.py: no such file")])
def test_usage_errors(tmp_path: Path, args, message):
    done = trace(*args, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr
    assert not (tmp_path / ".gradguard_trace").exists()


def test_torch_compile_is_said_to_run_eagerly(tmp_path: Path):
    (tmp_path / "c.py").write_text(textwrap.dedent("""\
        import torch

        @torch.compile(backend="eager")
        def f(t):
            return torch.sigmoid(t) * 2

        x = torch.tensor([0.5, 1.0], requires_grad=True)
        f(x).sum().backward()
        print([round(v, 4) for v in x.grad.tolist()])
        """), encoding="utf-8")
    done = trace("--no-static", "c.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[0.47, 0.3932]\n"
    assert "torch.compile runs eagerly while trace watches writes" in done.stderr
    quiet = trace("--hooks-only", "--no-static", "c.py", cwd=tmp_path)
    assert quiet.returncode == 0 and "torch.compile runs eagerly" not in quiet.stderr


def test_a_silent_finding_alone_exits_1_after_the_programs_output(tmp_path: Path):
    """torch raises nothing for a .data write: the program runs to its end (its own exit code would be 0) and the
    report comes after its output; the finding makes the exit code 1."""
    (tmp_path / "p.py").write_text(textwrap.dedent("""\
        import torch
        z = torch.tensor([-4.0, 0.0, 4.0], requires_grad=True)
        probs = torch.sigmoid(z)
        probs.data.clamp_(0.05, 0.95)
        (-torch.log(probs)).sum().backward()
        print("done")
        """), encoding="utf-8")
    done = trace("--no-static", "p.py", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == "done\n"
    assert done.stderr.startswith("p.py:4:1: GG401 [warning] aten.clamp_ changes a tensor of shape [3], saved for "
                                  "backward(), without moving its version counter"), done.stderr
    assert "    p.py:3:1: saved here by aten.sigmoid (SigmoidBackward0)\n" \
           "    p.py:5:1: backward() uses the changed values here\n" in done.stderr


def test_without_torch_trace_says_how_to_install_it(tmp_path: Path):
    (tmp_path / "p.py").write_text("print('never runs')\n", encoding="utf-8")
    code = ("import sys; sys.modules['torch'] = None; from gradguard.cli import main; "
            "sys.exit(main(['trace', 'p.py']))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr == "gradguard trace needs torch: pip install 'gradguard[trace]'\n"


CALLER_CHANGED = """\
import torch
import torch.nn as nn


class AddOffset(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.offset = nn.Parameter(torch.linspace(0.0, 1.0, dim))

    def forward(self, x):
        x += self.offset
        return x * 2


weights = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
AddOffset(3)(weights.sigmoid()).sum().backward()
out = AddOffset(3)(weights)
out.sum().backward()
"""


def test_gg202_is_confirmed_by_the_change_the_run_saw(tmp_path: Path):
    """The static analysis says GG202 inside forward (it does not know the caller) and GG201 at the call; the run
    sees the caller's saved tensor changed on line 11, called from line 16: both static findings are confirmed.
    Line 17 (a leaf changed) never runs: static only."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    (tmp_path / "train.py").write_text(CALLER_CHANGED, encoding="utf-8")
    done = trace("--format", "json", "--no-result-file", "train.py", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [(f["code"], f["line"], f["static"]) for f in report["findings"]] == [("GG201", 11, CONFIRMED)]
    assert [(f["code"], f["line"]) for f in report["static_only"]] == [("GG101", 17)]


def test_the_programs_traceback_is_pythons(tmp_path: Path):
    """An error the program raises inside an op that trace watches prints as under python: the same frames (none
    of trace's, none of torch's under trace's dispatch mode), the same __file__."""
    (tmp_path / "p.py").write_text(textwrap.dedent("""\
        import os
        import torch
        print(os.path.isabs(__file__))
        a = torch.ones(2, requires_grad=True)
        b = torch.ones(3)
        (a * 2).sum().backward()
        c = a.sigmoid() + b
        """), encoding="utf-8")
    traced = trace("--no-static", "--no-result-file", "p.py", cwd=tmp_path)
    plain = subprocess.run([sys.executable, "p.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert traced.returncode == plain.returncode == 1
    assert traced.stdout == plain.stdout == "True\n"
    assert traced.stderr == plain.stderr + "gradguard trace: no autograd problem in this run.\n"
    assert "gradguard" not in plain.stderr
