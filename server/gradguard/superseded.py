"""The language server's background pass gives up when a newer text of its document comes: its result would never be
shown. Apart from the analysis (analysis.context re-exports these) so that gradguard.project can stop before parsing
another file too: that project imports nothing of the analysis."""

from __future__ import annotations

import contextvars

# The language server's background pass sets this to "has a newer text come?" while it walks: a keystroke then
# stops it within a few statements, not at the end of the scope it is walking (a large one takes 50+ ms).
CANCELLED: "contextvars.ContextVar" = contextvars.ContextVar("gradguard_cancelled", default=None)


class Superseded(Exception):
    """A newer text came while a background pass ran: its result would never be shown."""


def stop_if_superseded() -> None:
    """Stop the server's background pass when a newer text waits (CANCELLED): before work that asks no Budget,
    such as parsing another file (a walk asks every few steps: Budget.check)."""
    cancelled = CANCELLED.get()
    if cancelled is not None and cancelled():
        raise Superseded()
