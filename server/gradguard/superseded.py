"""The language server's background pass gives up when a newer text of its document comes: its result would never be
shown. Apart from the analysis (analysis.context re-exports these) so that gradguard.project can stop before parsing
another file too: that project imports nothing of the analysis."""

from __future__ import annotations

import contextvars
import time

# The language server's background pass sets this to "has a newer text come?" while it walks: a keystroke then
# stops it within a few statements, not at the end of the scope it is walking (a large one takes 50+ ms).
CANCELLED: "contextvars.ContextVar" = contextvars.ContextVar("gradguard_cancelled", default=None)


# The time limit of the analysis running in this context (analysis/deadline.Deadline; checker.analyse_tree sets it):
# work that asks no Budget stops at it too. Resolving a name through a package that re-exports hundreds of modules
# (timm's `from timm.models import *`) parses them all within one statement of the walk: 2 s of CPU.
DEADLINE: "contextvars.ContextVar" = contextvars.ContextVar("gradguard_deadline", default=None)


class Superseded(Exception):
    """A newer text came while a background pass ran: its result would never be shown."""


class AnalysisTimeout(Exception):
    """The walk ran past its deadline; `found_so_far` holds what the interrupted unit had found by then."""

    found_so_far: list = []


def stop_if_superseded() -> None:
    """Stop the server's background pass when a newer text waits (CANCELLED), and any analysis at its time limit
    (DEADLINE): before work that asks no Budget, such as parsing another file (a walk asks at every statement:
    Budget.check)."""
    cancelled = CANCELLED.get()
    if cancelled is not None and cancelled():
        raise Superseded()
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline.at and deadline.reached():
        raise AnalysisTimeout()
