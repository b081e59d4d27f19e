"""`from utils import *` as the only way a training script gets torch (names.add_star_provided).

Each script runs under torch next to its `utils.py`, and gradguard reads the script alone: `torch`, `nn` and `F`
that nothing in the file binds come from the star import (otherwise the script could not run at all)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

UTILS = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"

SCRIPT = '''from utils import *

torch.manual_seed(0)
gen, disc = nn.Linear(4, 4), nn.Linear(4, 1)
opt_g = torch.optim.SGD(gen.parameters(), lr=0.1)
opt_d = torch.optim.SGD(disc.parameters(), lr=0.1)
fake = gen(torch.randn(8, 4))
g_loss = F.softplus(-disc(fake)).mean()
d_loss = F.softplus(disc(fake.detach())).mean()
opt_d.zero_grad()
d_loss.backward()
STEPS
'''

BAD = "opt_d.step()\nopt_g.zero_grad()\ng_loss.backward()\nopt_g.step()\n"  # D's step before G's backward
GOOD = "opt_g.zero_grad()\ng_loss.backward()\nopt_d.step()\nopt_g.step()\n"  # both backwards before both steps
STEP_LINE = 12


@pytest.mark.parametrize("steps, raises", [(BAD, True), (GOOD, False)])
def test_torch_from_a_star_import(tmp_path: Path, steps, raises):
    (tmp_path / "utils.py").write_text(UTILS)
    text = SCRIPT.replace("STEPS", steps)
    (tmp_path / "train.py").write_text(text)
    ran = subprocess.run([sys.executable, "train.py"], capture_output=True, text=True, cwd=tmp_path)
    if raises:
        assert "modified by an inplace operation" in ran.stderr
    else:
        assert ran.returncode == 0, ran.stderr
    found = [(f.code, f.span.line) for f in analyze(text, "train.py", Config()).findings]
    assert found == ([("GG201", STEP_LINE)] if raises else [])


def test_a_name_the_file_binds_is_not_taken_from_the_star_import():
    text = SCRIPT.replace("STEPS", BAD).replace("from utils import *\n", "from utils import *\n\ntorch = None\n")
    assert analyze(text, "train.py", Config()).findings == []


def test_without_a_star_import_nothing_is_assumed():
    text = SCRIPT.replace("STEPS", BAD).replace("from utils import *\n", "from utils import helpers\n")
    assert analyze(text, "train.py", Config()).findings == []


TH_UTILS = "import torch as th\nimport torch.nn as nn\n"

# ElegantRL's env_l2a_TNCO.py: `th` comes from a star import; advantages are computed with grad switched off by
# `th.set_grad_enabled(False)` statements, so the inner steps' backward() never reaches their graph.
TH_SCRIPT = '''from utils import *

th.manual_seed(0)
net = nn.Linear(4, 1)
opt = th.optim.SGD(net.parameters(), lr=0.1)
GRAD_OFF
for i in range(2):
    scores = net(th.randn(8, 4)).squeeze(1)
    adv = (scores - scores.mean()) / (scores.std() + 1e-8)
    th.set_grad_enabled(True)
    for j in range(2):
        loss = (net(th.randn(8, 4)).squeeze(1) * adv).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    GRAD_OFF
'''


@pytest.mark.parametrize("grad_off, raises", [("th.set_grad_enabled(False)", False), ("pass", True)])
def test_th_from_a_star_import_switches_grad_mode(tmp_path: Path, grad_off, raises):
    (tmp_path / "utils.py").write_text(TH_UTILS)
    text = TH_SCRIPT.replace("GRAD_OFF", grad_off)
    (tmp_path / "train.py").write_text(text)
    ran = subprocess.run([sys.executable, "train.py"], capture_output=True, text=True, cwd=tmp_path)
    if raises:
        assert "Trying to backward through the graph a second time" in ran.stderr
    else:
        assert ran.returncode == 0, ran.stderr
    found = {f.code for f in analyze(text, "train.py", Config()).findings if f.severity.value in ("error", "warning")}
    assert bool(found & {"GG501", "GG502"}) == raises
