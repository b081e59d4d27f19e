"""A module class whose every workspace call runs outside the training path (eval_callers.py).

fixtures/eval_only_callers/ is laid out as EfficientDet-PyTorch is: boxes.py's ClipBoxes clamps the boxes it is
given in place after the clamp saved them, so a backward() through its result raises; detector.py builds one and
calls it only on the eval side of `if self.training:` (the training side returns the loss), and train.py trains and
then evaluates under torch.no_grad(): torch raises nothing. Alone, boxes.py's forward is the training path, its
input a previous layer's output: warnings. In its workspace they depend on whether the class runs on the training
path (information, strict mode only), naming detector.py's call. A detector that calls it on the training side keeps
the warnings, and torch raises there; so does a workspace that uses the class in a way this does not read (a
subclass, an alias, a class passed on).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crossfile_support import check, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.findings import Severity

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "eval_only_callers"
CHANGED_LINES = {10, 11, 12}  # the three clamps written back in boxes.py


def warnings(result) -> set:
    return {(f.span.line, f.code) for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)}


def test_alone_the_class_warns_on_the_training_path() -> None:
    boxes = WORKSPACE / "boxes.py"
    found = warnings(analyze(boxes.read_text(), str(boxes), Config()))
    assert {line for line, code in found if code == "GG201"} == CHANGED_LINES


def test_callers_that_run_it_only_in_eval_mode_leave_information() -> None:
    assert warnings(check(WORKSPACE, "boxes.py")) == set()
    strict = check(WORKSPACE, "boxes.py", strict=True)
    kept = [f for f in strict.findings if f.code == "GG201"]
    assert {f.span.line for f in kept} == CHANGED_LINES
    assert all(f.severity is Severity.INFORMATION and "`ClipBoxes` runs on the training path" in f.depends_on
               and "(detector.py:18)" in f.depends_on for f in kept), [f.depends_on for f in kept]
    assert warnings(check(WORKSPACE, "detector.py")) == set()


def test_torch_runs_the_workspace_clean() -> None:
    got = run_under_torch([{"id": "t", "workspace": str(WORKSPACE), "file": str(WORKSPACE / "train.py")}])["t"]
    assert not got["raised"], got


def copy(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(WORKSPACE, workspace)
    return workspace


def test_a_call_on_the_training_side_keeps_the_warnings_and_torch_raises(tmp_path: Path) -> None:
    workspace = copy(tmp_path)
    detector = workspace / "detector.py"
    text = detector.read_text()
    text = text.replace("        if self.training:\n", "        boxes = self.clip_boxes(boxes, img)\n"
                        "        if self.training:\n")
    detector.write_text(text.replace("return self.clip_boxes(boxes, img)", "return boxes"))
    assert {line for line, code in warnings(check(workspace, "boxes.py")) if code == "GG201"} == CHANGED_LINES
    got = run_under_torch([{"id": "t", "workspace": str(workspace), "file": str(workspace / "train.py")}])["t"]
    assert got["raised"] and got["line"] == 12 and "modified by an inplace operation" in got["message"], got


def test_a_use_this_does_not_read_keeps_the_warnings(tmp_path: Path) -> None:
    uses = {
        "subclass": "from boxes import ClipBoxes\n\n\nclass Clip(ClipBoxes):\n    pass\n",
        "alias": "from boxes import ClipBoxes as CB\n\nclip = CB()\n",
        "passed on": "import torch\nfrom boxes import ClipBoxes\n\nhead = torch.nn.Sequential(ClipBoxes())\n",
        "called in training": "import torch\nfrom boxes import ClipBoxes\n\n\ndef step(boxes, img):\n"
                              "    clip = ClipBoxes()\n    return clip(boxes, img)\n",
    }
    for i, (what, source) in enumerate(uses.items()):
        workspace = copy(tmp_path / str(i))
        (workspace / "other.py").write_text(source)
        found = warnings(check(workspace, "boxes.py"))
        assert {line for line, code in found if code == "GG201"} == CHANGED_LINES, what
