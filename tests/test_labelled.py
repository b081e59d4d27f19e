"""Precision and recall on the project's runnable programs, each labelled by running it under torch
(tools/labelled.py): the bars of issue #13 (precision >= 0.95, recall >= 0.90) hold, and the script counts what it
says it counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_precision_and_recall_on_programs_torch_labelled(tmp_path: Path):
    out = tmp_path / "rows.json"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "labelled.py"), "--json", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = json.loads(out.read_text())
    assert len(rows) >= 390
    tp = sum(r["label"] and r["verdict"] for r in rows)
    fp = sum(not r["label"] and r["verdict"] for r in rows)
    fn = sum(r["label"] and not r["verdict"] for r in rows)
    assert tp / (tp + fp) >= 0.95, done.stdout
    assert tp / (tp + fn) >= 0.90, done.stdout
    # every rule example's label agrees with its name: bad programs are rejected by torch or silently wrong
    for r in rows:
        if "/rules/examples/" in r["path"]:
            assert r["label"] == Path(r["path"]).name.startswith("bad_"), r
    assert f"precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}" in done.stdout


def test_a_program_torch_rejects_and_gradguard_misses_is_counted(tmp_path: Path):
    hidden = tmp_path / "bad_hidden_mutation.py"
    # torch raises at backward(); the change hides behind exec, which no static analysis follows
    hidden.write_text("import torch\nx = torch.ones(3, requires_grad=True)\ny = torch.sigmoid(x)\n"
                      "exec('y.add_(1)')\ny.sum().backward()\n")
    clean = tmp_path / "good_plain.py"
    clean.write_text("import torch\nx = torch.ones(3, requires_grad=True)\n(x * 2).sum().backward()\nprint(x.grad)\n")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "labelled.py"), str(hidden), str(clean)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "precision 1.000, recall 0.000" in done.stdout
    assert "missed: " in done.stdout and "bad_hidden_mutation.py" in done.stdout
