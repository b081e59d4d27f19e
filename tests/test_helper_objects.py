"""Parameters a module of the file makes for itself, and helper objects kept in containers.

A class's `self.centers = nn.Parameter(...)` is one of the module's parameters: `optimizer = SGD(crit.parameters())`
steps it, so a step before a pending backward() through an op that saved it (`F.normalize(self.centers)` in the
module's `forward`) is GG201, as it is for a torch layer's weight. `self.helpers = list()` is an empty list as `[]`
is: the helpers appended to it are the ones its items give back. Run under torch by the GG201 examples
bad_center_loss_module_parameter_stepped_before_total_backward and
bad_metric_helper_in_list_steps_centers_before_total_backward (and their good twins).
"""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

CENTER = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


class CenterLoss(nn.Module):
    def __init__(self, num_classes, dim):
        super().__init__()
        self.centers = nn.Parameter(torch.randn(num_classes, dim))
        self.register_buffer("counts", torch.zeros(num_classes))

    def forward(self, feats, labels):
        centers = F.normalize(self.CENTERS, dim=1)
        return (feats - centers[labels]).pow(2).sum()


def fit(model, x, labels):
    crit = CenterLoss(4, 8)
    center_optimizer = torch.optim.SGD(crit.parameters(), lr=0.5)
    feats = model(x)
    loss = crit(feats, labels)
    total = loss + feats.sum()
    loss.backward(retain_graph=True)
    center_optimizer.step()
    total.backward()
"""


@pytest.mark.parametrize("saved, found", [("centers", [("GG201", 24)]), ("counts", [])])
def test_a_parameter_the_module_made_is_stepped_by_its_parameters_optimizer(saved: str, found: list):
    """The step changes the parameter; a buffer (`register_buffer`) of the same module is not an optimizer's."""
    result = analyze(CENTER.replace("CENTERS", saved), "fit.py", Config(strict=True))
    assert result.error is None, result.error
    assert [(f.code, f.span.line) for f in result.findings if f.code != "GG101"] == found
    if found:
        assert [r.span.line for r in result.findings[0].related][:2] == [13, 25]


def test_the_step_after_every_backward_is_quiet():
    source = CENTER.replace("CENTERS", "centers").replace(
        "    loss.backward(retain_graph=True)\n    center_optimizer.step()\n    total.backward()\n",
        "    total.backward()\n    center_optimizer.step()\n")
    result = analyze(source, "fit.py", Config(strict=True))
    assert result.error is None, result.error
    assert not result.findings, [(f.span.line, f.code, f.message[:120]) for f in result.findings]


HELPERS = """\
import torch
import torch.nn as nn


class Helper:
    def __init__(self, dim):
        self.net = nn.Linear(dim, dim)
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=0.1)

    def __call__(self, x):
        self.out = self.net(x)
        return self.out

    def end(self):
        self.out.sum().backward(retain_graph=True)
        self.optimizer.step()


class Engine:
    def __init__(self, dims):
        self.helpers = EMPTY
        for dim in dims:
            self.helpers.append(Helper(dim))

    def run(self, x):
        helper = self.helpers[0]
        loss = helper(x).pow(2).sum()
        helper.end()
        loss.backward()
"""


@pytest.mark.parametrize("empty", ["[]", "list()"])
def test_an_empty_list_made_by_list_holds_what_is_appended(empty: str):
    """`self.helpers = list()` then `append` in a loop: `self.helpers[0]` is the helper, as with `[]`, so its
    method's step (before `loss.backward()`, which goes through the helper's linear layer) is found."""
    result = analyze(HELPERS.replace("EMPTY", empty), "engine.py", Config(strict=True))
    assert result.error is None, result.error
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", 16)]
