"""The language server's two passes over a keystroke (engine.analyze with `defer`): the first re-walks the scope
that changed and keeps the last findings of the scopes that only read it; the second (the background pass)
brings those up to date, and gives up when `cancelled()` says a newer text came. Each completed second pass
equals a from-scratch analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from gradguard import engine
from gradguard.analysis.incremental import Superseded
from gradguard.config import Config

MODELS = (Path(__file__).parent / "lsp" / "fixtures" / "visionpkg" / "models.py").read_text(encoding="utf-8")
HELPER = "    model = VisionTransformer(**kwargs)\n"


def shapes(result) -> list[tuple]:
    return [(f.code, f.span.line, f.span.column, f.message) for f in result.findings]


@pytest.fixture
def path(tmp_path):
    path = str(tmp_path / "models.py")
    yield path
    engine.forget(path)


def test_callers_of_an_edited_function_wait_for_the_background_pass(path):
    engine.analyze(MODELS, path, Config(), incremental=True)
    # the shared helper now returns an in-place changed sigmoid: every entrypoint's result depends on it
    edited = MODELS.replace(HELPER, HELPER + "    model = torch.sigmoid(model)\n    model.mul_(2)\n")
    first = engine.analyze(edited, path, Config(), incremental=True, defer=True)
    assert first.deferred  # the 72 entrypoints kept their last findings for now
    second = engine.analyze(edited, path, Config(), incremental=True)
    assert not second.deferred
    assert shapes(second) == shapes(engine.analyze(edited, path + ".full.py", Config()))


def test_a_background_pass_overtaken_by_a_newer_text_stops_and_changes_nothing(path):
    engine.analyze(MODELS, path, Config(), incremental=True)
    edited = MODELS.replace(HELPER, HELPER + "    kwargs = dict(kwargs)\n")
    assert engine.analyze(edited, path, Config(), incremental=True, defer=True).deferred
    with pytest.raises(Superseded):
        engine.analyze(edited, path, Config(), incremental=True, cancelled=lambda: True)
    again = engine.analyze(edited, path, Config(), incremental=True)
    assert shapes(again) == shapes(engine.analyze(edited, path + ".full.py", Config()))


def test_a_newer_text_stops_the_background_pass_inside_a_long_scope(path):
    """The check comes every few statements of a walk, not only between scopes: one long forward no longer makes a
    keystroke wait for the whole scope."""
    body = "".join(f"        h{i} = torch.sigmoid(h{i - 1} if {i} else x)\n" for i in range(400))
    source = ("import torch\nimport torch.nn as nn\n\n\nclass Long(nn.Module):\n    def forward(self, x):\n"
              + body + "        return h399\n")
    asked = []

    def newer_text_after_5_questions():
        asked.append(1)
        return len(asked) > 5

    with pytest.raises(Superseded):
        engine.analyze(source, path, Config(), incremental=True, cancelled=newer_text_after_5_questions)
    # 2 scopes (the module, forward): 2 questions between scopes; the others were asked inside forward's walk
    assert len(asked) == 6
    again = engine.analyze(source, path, Config(), incremental=True)
    assert shapes(again) == shapes(engine.analyze(source, path + ".full.py", Config()))


def test_a_kept_finding_inside_the_edited_function_waits_for_the_background_pass(tmp_path):
    """The caller's finding sits in the function the edit changed (the quick fix just made `h += 1` into
    `h = h + 1`): the first pass must not show it again from the caller's last walk."""
    path = str(tmp_path / "m.py")
    buggy = ("import torch\n\n\ndef scale(x):\n    h = torch.sigmoid(x)\n    h += 1\n    return h\n\n\n"
             "w = torch.ones(3, requires_grad=True)\nscale(w).sum().backward()\n")
    fixed = buggy.replace("h += 1", "h = h + 1")
    try:
        assert [(f.code, f.span.line) for f in engine.analyze(buggy, path, Config(), incremental=True).findings] \
            == [("GG201", 6)]
        first = engine.analyze(fixed, path, Config(), incremental=True, defer=True)
        assert first.deferred and first.findings == []
        assert engine.analyze(fixed, path, Config(), incremental=True).findings == []
    finally:
        engine.forget(path)
