"""The watchdog in the server: an analysis stuck in an engine loop is stopped, its message is a diagnostic, and
the analysis thread goes on with the next document and the next edit; hovers and code actions still answer."""

from __future__ import annotations

import sys

import pytest_lsp
from lsp_helpers import SAVED, change, code_actions, codes, hover, init, make_client, open_doc, published, rng, write
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

# `gradguard lsp` with `context.lookup_order` looping forever on a class named Stuck (as it did on `class A(A)`),
# and a short time limit: 1 s, and the watchdog's grace 0.5 s past it. One analysis first, so that the lazy imports
# do not count against the short limit.
STUCK_SERVER = """
import sys
from gradguard import engine
from gradguard.analysis import checker, context, watchdog
engine.analyze("import torch\\n")
import jedi  # noqa: F401 - what the first analysis with a workspace imports
watchdog.GRACE = 0.5
checker.DEFAULT_TIME_LIMIT = 1.0
original = context.lookup_order
def lookup_order(classes, cls):
    while cls == "Stuck":
        pass
    return original(classes, cls)
context.lookup_order = lookup_order
from gradguard.cli import main
sys.exit(main(["lsp"]))
"""

STUCK = SAVED + """

class Stuck(torch.nn.Module):
    def forward(self, x):
        return x
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-c", STUCK_SERVER],
                                              client_factory=make_client))
async def client(lsp_client: LanguageClient):
    yield
    try:
        await lsp_client.shutdown_session()
    except Exception:
        pass


async def test_a_stuck_analysis_is_stopped_and_the_server_goes_on(client, tmp_path):
    await init(client, tmp_path)
    stuck = write(tmp_path, "stuck.py", STUCK)
    open_doc(client, stuck, STUCK)
    [notice] = (await published(client, stuck, 1)).diagnostics
    assert notice.message.startswith("analysis stopped: it ran") and "please report it" in notice.message
    assert notice.source == "gradguard" and notice.range == rng(0, 0, 0, 0)
    assert notice.severity == types.DiagnosticSeverity.Warning

    fine = write(tmp_path, "fine.py", SAVED)  # the analysis thread survived: another document is analysed
    open_doc(client, fine, SAVED)
    assert codes(await published(client, fine, 1)) == ["GG201"]
    assert "sigmoid" in (await hover(client, fine, 3, 3)).contents.value
    assert any("y = y.mul(2)" in a.title for a in await code_actions(client, fine, rng(3, 0, 3, 1)))

    after = len(client.published)
    change(client, stuck, 2, (None, SAVED))  # the edit that removes the loop's trigger: analysed as usual
    assert codes(await published(client, stuck, 2, after=after)) == ["GG201"]
