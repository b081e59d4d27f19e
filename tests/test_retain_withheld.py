"""GG501's `retain_graph=True` is withheld where a change in place of what the freed graph saved lies between the two
backward() calls (analysis/freed_changes.py): torch shows the flag would only trade the error for the version error,
and the message says why. Where nothing changes the kept graph, the flag is still the preferred fix, and torch runs it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from torch_runner import run_examples  # noqa: E402

from gradguard.autofix import fix_source  # noqa: E402
from gradguard.engine import analyze  # noqa: E402
from gradguard.rules import EXAMPLES_DIR  # noqa: E402

WITHHELD = {  # example -> the first backward() the flag would go on (its text, first occurrence)
    "GG501/bad_scale_kept_as_tensor_from_weights.py": "loss.backward()",
    "GG501/bad_loss_chosen_by_argparse_choice_left_unset.py": "loss.backward()",
}

STEP_BETWEEN_AND_FRESH = """import torch
import torch.nn as nn

torch.manual_seed(0)
encoder, head_a, head_b = nn.Linear(4, 4), nn.Linear(4, 1), nn.Linear(4, 1)
opt_a = torch.optim.SGD(head_a.parameters(), lr=0.1)
features = encoder(torch.randn(3, 4)).tanh()
loss_a = head_a(features).pow(2).mean()
loss_a.backward()
opt_a.step()
loss_b = head_b(features).pow(2).mean()
loss_b.backward()
print([round(v, 4) for v in encoder.weight.grad.flatten().tolist()])
"""


@pytest.mark.parametrize("name", sorted(WITHHELD))
def test_flag_withheld_says_why_and_torch_shows_it_would_not_do(name, tmp_path):
    source = (EXAMPLES_DIR / name).read_text(encoding="utf-8")
    [finding] = [f for f in analyze(source, name).findings if f.code == "GG501"]
    assert "No safe automatic fix: `retain_graph=True` would keep the freed graph" in finding.message
    assert "changes in place a tensor" in finding.message
    assert [fx.title for fx in finding.fixes if fx.edits and "noqa" not in fx.title] == []
    assert fix_source(source, name, unsafe=True)[1] == []
    first = WITHHELD[name]
    flagged = tmp_path / Path(name).name
    flagged.write_text(source.replace(first, first[:-1] + "retain_graph=True)", 1), encoding="utf-8")
    run = run_examples([str(flagged)], workers=1)[os.path.realpath(flagged)]
    assert run["raised"] and "modified by an inplace operation" in run["exc_message"], run


def test_flag_kept_where_the_step_changes_nothing_the_kept_graph_saved(tmp_path):
    """The step changes head_a's parameters; the graph both losses share is the encoder's: the flag is right."""
    [finding] = [f for f in analyze(STEP_BETWEEN_AND_FRESH, "m.py").findings if f.code == "GG501"]
    assert "No safe automatic fix" not in finding.message
    fixed, applied = fix_source(STEP_BETWEEN_AND_FRESH, "m.py")
    assert "loss_a.backward(retain_graph=True)" in fixed and applied
    path = tmp_path / "fixed.py"
    path.write_text(fixed, encoding="utf-8")
    run = run_examples([str(path)], workers=1)[os.path.realpath(path)]
    assert not run["raised"], run.get("traceback")
