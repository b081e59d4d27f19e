"""A module class whose every workspace call passes data (data_callers.py, read by eval_callers.py).

fixtures/data_only_callers/augment.py swaps two channels of the tensor it is given in place: on the training path,
where its input is a previous layer's output, the write changes what that layer saved (warnings). Its unit tests,
as speechbrain's test_augment.py does for its ChannelSwap, call it only with tensors made from torch factories
(`torch.rand`, `torch.sin(torch.arange(...))`, a `.clone().detach()`): torch runs them clean, and without another
caller the warnings depend on whether the class is given tensors that require grad (information). The workspace's
train_on_features.py passes a sigmoid's output and calls backward(): torch raises there, and the warnings stay. A
training step that hands the class data before anything else is done with it is such a caller too (torch runs it
clean); one that hands the same data to a Linear first, which keeps it for its weight's gradient, is not (torch
raises).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crossfile_support import check, expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "data_only_callers"
WRITES = {(8, "GG202"), (9, "GG202")}


def warnings(result) -> set:
    return {(f.span.line, f.code) for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)}


def without_the_training_caller(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    (workspace / "train_on_features.py").unlink()
    return workspace


def test_alone_the_class_warns_on_the_training_path() -> None:
    augment = WORKSPACE / "augment.py"
    assert warnings(analyze(augment.read_text(), str(augment), Config())) == WRITES


def test_callers_that_pass_only_data_leave_information(tmp_path: Path) -> None:
    workspace = without_the_training_caller(tmp_path)
    assert warnings(check(workspace, "augment.py")) == set()
    kept = [f for f in check(workspace, "augment.py", strict=True).findings if f.code == "GG202"]
    assert {f.span.line for f in kept} == {8, 9}
    assert all(f.severity is Severity.INFORMATION and "pass tensors that require no grad" in f.depends_on
               and "(test_augment.py:9)" in f.depends_on for f in kept), [f.depends_on for f in kept]


def test_a_caller_passing_a_layer_output_keeps_the_warnings() -> None:
    assert warnings(check(WORKSPACE, "augment.py")) == WRITES


def test_a_caller_passing_a_parameter_of_its_function_keeps_the_warnings(tmp_path: Path) -> None:
    workspace = without_the_training_caller(tmp_path)
    tests = workspace / "test_augment.py"
    tests.write_text(tests.read_text().replace("def test_channel_swap():\n    signal = torch.rand(4, 16, 8)",
                                               "def test_channel_swap(signal=torch.rand(4, 16, 8)):"))
    assert warnings(check(workspace, "augment.py")) == WRITES


TRAIN_STEP = """import torch

from augment import ChannelSwap


def train_step():
    torch.manual_seed(0)
    lin = torch.nn.Linear(8, 8)
    signal = torch.rand(4, 16, 8)
    swap = ChannelSwap()
    swap.train()  # an attribute of the module read (eval_callers.eval_calls), not a call that runs it
    out = lin(swap(signal))
    out.sum().backward()


train_step()
"""
# The same step hands the data to the Linear first, which keeps it for its weight's gradient (data or not).
LAYER_FIRST = ("    out = lin(swap(signal))\n    out.sum().backward()",
               "    hidden = lin(signal)\n    out = swap(signal)\n    (hidden.sum() + out.sum()).backward()")


def test_a_training_step_that_hands_it_the_data_first_leaves_information(tmp_path: Path) -> None:
    workspace = without_the_training_caller(tmp_path)
    (workspace / "train_step.py").write_text(TRAIN_STEP)
    assert warnings(check(workspace, "augment.py")) == set()
    got = run_under_torch([{"id": "t", "workspace": str(workspace), "file": str(workspace / "train_step.py")}])["t"]
    assert not got["raised"], got


def test_a_training_step_that_hands_the_data_to_a_layer_first_keeps_the_warnings(tmp_path: Path) -> None:
    workspace = without_the_training_caller(tmp_path)
    (workspace / "train_step.py").write_text(TRAIN_STEP.replace(*LAYER_FIRST))
    assert warnings(check(workspace, "augment.py")) == WRITES
    got = run_under_torch([{"id": "t", "workspace": str(workspace), "file": str(workspace / "train_step.py")}])["t"]
    assert got["raised"] and "modified by an inplace operation" in got["message"], got


def test_a_training_step_over_a_loader_hands_it_its_batches(tmp_path: Path) -> None:
    """`for x in loader:` binds data; a column filled from it (`x[:, :, 0] = batch[:, :, 1] * 2`) is data too."""
    workspace = without_the_training_caller(tmp_path)
    source = TRAIN_STEP.replace("    signal = torch.rand(4, 16, 8)\n", "").replace(
        "    out = lin(swap(signal))\n    out.sum().backward()\n",
        "    loader = torch.utils.data.DataLoader(torch.rand(8, 16, 8), batch_size=4)\n"
        "    for batch in loader:\n"
        "        signal = torch.zeros(batch.shape[0], 16, 8)\n"
        "        signal[:, :, 0] = batch[:, :, 1] * 2\n"
        "        out = lin(swap(signal))\n"
        "        out.sum().backward()\n")
    assert "for batch in loader" in source
    (workspace / "train_step.py").write_text(source)
    assert warnings(check(workspace, "augment.py")) == set()
    got = run_under_torch([{"id": "t", "workspace": str(workspace), "file": str(workspace / "train_step.py")}])["t"]
    assert not got["raised"], got
    (workspace / "train_step.py").write_text(source.replace("batch[:, :, 1] * 2", "lin(batch)[:, :, 1] * 2"))
    assert warnings(check(workspace, "augment.py")) == WRITES  # a layer's output written in: not data


def test_torch_runs_the_tests_clean_and_raises_on_the_layer_output() -> None:
    jobs = [{"id": name, "workspace": str(WORKSPACE), "file": str(WORKSPACE / name)}
            for name in ("test_augment.py", "train_on_features.py")]
    got = run_under_torch(jobs)
    assert not got["test_augment.py"]["raised"], got
    _, raises = expected((WORKSPACE / "train_on_features.py").read_text())
    (line, text), = raises.items()
    raised = got["train_on_features.py"]
    assert raised["raised"] and raised["line"] == line and text in raised["message"], raised


def test_a_method_called_on_the_instance_is_no_evidence(tmp_path: Path) -> None:
    """`swap.forward(features)` runs the module's code with what it is given (here a sigmoid's output): unlike
    `swap.train()`, a method call on the instance keeps the class's warnings, and torch raises there."""
    workspace = without_the_training_caller(tmp_path)
    source = TRAIN_STEP.replace("    out.sum().backward()\n",
                                "    features = torch.sigmoid(lin(torch.rand(4, 16, 8)))\n"
                                "    (out.sum() + swap.forward(features).sum()).backward()\n")
    assert "swap.forward(features)" in source
    (workspace / "train_step.py").write_text(source)
    assert warnings(check(workspace, "augment.py")) == WRITES
    got = run_under_torch([{"id": "t", "workspace": str(workspace), "file": str(workspace / "train_step.py")}])["t"]
    assert got["raised"] and "modified by an inplace operation" in got["message"], got
