"""Items of a list a comprehension made, read by literal indices (analysis/comprehension_items.py): each has the
saves its own calls made, and shares those made before the comprehension. Run under torch by the GG501 examples
(bad_/good_critic_losses_listed_share_the_encoder_graph.py); here, the forms around them."""

from __future__ import annotations

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

SOURCE = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


class Agent:
    def __init__(self):
        self.encoder = nn.Linear(4, 4)
        self.critics = nn.ModuleList([nn.Linear(4, 1) for _ in range(2)])

    def update(self, obs, q_target, i):
        h = FEATURES
        losses = [F.mse_loss(critic(h), q_target) for critic in self.critics]
        FIRST.backward()
        SECOND.backward()
"""


@pytest.mark.parametrize("features, first, second, raises", [
    ("obs", "losses[0]", "losses[1]", False),  # torch runs it: each loss has its own graph
    ("torch.tanh(self.encoder(obs))", "losses[0]", "losses[1]", True),  # the encoder's graph, freed by the first
    ("obs", "losses[0]", "losses[0]", True),  # the same item twice: its own graph, freed
    ("obs", "losses[-1]", "losses[-1]", True),
    ("obs", "losses[i]", "losses[i]", True),  # an index the walk does not know: the element's graph, as before
])
def test_items_read_by_index(features: str, first: str, second: str, raises: bool):
    source = SOURCE.replace("FEATURES", features).replace("FIRST", first).replace("SECOND", second)
    found = [(f.span.line, f.code) for f in analyze(source, "agent.py", Config(strict=True)).findings]
    assert found == ([(15, "GG501")] if raises else []), found
